"""Safe community's test fixtures. A transactional test (PostgreSQL concurrency) starts after the
previous one's flush, which removed the dispute kinds the migrations ship: they are loaded again."""

from importlib import import_module

import pytest


@pytest.fixture(autouse=True)
def shipped_dispute_kinds(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    from django.apps import apps

    request.getfixturevalue("transactional_db")
    import_module("linli.mediation.migrations.0002_append_only_and_kinds").kinds_seed(apps, None)
