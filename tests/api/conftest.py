"""The fuzzing run's figures, printed at the end of the run (docs/api-fuzzing.md quotes them)."""

from collections import Counter

import pytest

STATS: Counter = Counter()
OPERATIONS: set[str] = set()


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
