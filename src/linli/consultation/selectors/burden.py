"""Reads of stage burden, scoped (`selectors.scope`)."""
