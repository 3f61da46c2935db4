"""Reads of stage village, scoped (`selectors.scope`)."""
