"""Reads of stage board, scoped (`selectors.scope`)."""
