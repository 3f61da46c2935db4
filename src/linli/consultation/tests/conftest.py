"""Deliberation's test fixtures. A transactional test (PostgreSQL concurrency) starts after the
previous one's flush, which removed the rows the migrations ship: each stage's seed is loaded
again below (one autouse fixture per seeded table)."""
