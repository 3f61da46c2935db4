"""Reads of stage decisions, scoped (`selectors.scope`)."""
