"""Benchmarks for Linli, run as ``uv run python -m bench <name>``.

Every benchmark prints its figures beside a baseline measured in the same run on the same
machine, because the machines are shared and noisy: read the ratios, not the absolute numbers.
See docs/benchmarks.md.
"""
