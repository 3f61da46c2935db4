"""The fuzzing module is collected only when the fuzz marker is selected (loading the schema and
building its strategies takes seconds that the default run does not need), and the run's figures
are printed at its end (docs/api-fuzzing.md quotes them)."""

from collections import Counter

import pytest
from _pytest.mark.expression import Expression

STATS: Counter = Counter()
OPERATIONS: set[str] = set()


def _selects_fuzz(config) -> bool:
    markexpr = config.getoption("markexpr") or ""
    return not markexpr or Expression.compile(markexpr).evaluate(lambda name, **kwargs: name == "fuzz")


def pytest_ignore_collect(collection_path, config):
    if collection_path.name == "test_schemathesis.py" and not _selects_fuzz(config):
        return True
    return None


@pytest.fixture(scope="session")
def fuzz_stats():
    return STATS, OPERATIONS


def pytest_terminal_summary(terminalreporter):
    if not STATS:
        return
    statuses = {key[7:]: n for key, n in sorted(STATS.items()) if key.startswith("status ")}
    terminalreporter.write_line(
        f"schemathesis: {len(OPERATIONS)} operations, {STATS['cases']} generated cases, {STATS['requests']} requests "
        f"({STATS['replays']} again with a real object's key); statuses {statuses}"
    )
    for key, n in sorted(STATS.items()):
        if key.startswith("trace "):
            terminalreporter.write_line(f"  {key[6:]}: {n}")
