"""Writes of deliberation, one module per stage (import from the module: `services.topics`, …)."""
