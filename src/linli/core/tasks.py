"""Task entry points of the kernel. Tasks take plain values, re-fetch what they need, call one
service and are safe to run twice."""

from django.tasks import task

from linli.core.services import heartbeat_record


@task()
def worker_probe(name: str = "worker_probe") -> str:
    """Proves the worker runs: records a heartbeat that /metrics exposes."""
    heartbeat_record(name=name, result="ok")
    return "ok"
