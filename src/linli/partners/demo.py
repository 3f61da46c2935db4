"""Demo data for the demo city, made through this app's services (`linli demo`). Idempotent:
a second run adds nothing."""

from __future__ import annotations


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    """Plausible numbers for the city under `city_path`; the showcase community (where the demo
    accounts are posted) at `showcase_path` gets the rows a demo user sees first."""
