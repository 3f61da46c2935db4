"""Deliberation's test fixtures. A transactional test (PostgreSQL concurrency) starts after the
previous one's flush, which removed the rows the migrations ship: each stage's seed is loaded
again below (one autouse fixture per seeded table)."""

from importlib import import_module

import pytest


@pytest.fixture(autouse=True)
def shipped_major_matter_kinds(request):
    """Stage village: the city's default major-matter list (migration 0002_village_kinds)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    from django.apps import apps

    request.getfixturevalue("transactional_db")
    import_module("linli.consultation.migrations.0002_village_kinds").kinds_seed(apps, None)


@pytest.fixture(autouse=True)
def shipped_burden_lists(request):
    """Stage burden: the city's example certificate and task lists (migration 0003_burden_kinds)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    from django.apps import apps

    request.getfixturevalue("transactional_db")
    import_module("linli.consultation.migrations.0003_burden_kinds").kinds_seed(apps, None)
