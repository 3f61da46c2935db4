"""Reads of stage topics, scoped (`selectors.scope`)."""
