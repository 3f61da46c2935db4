"""Reads of stage voting, scoped (`selectors.scope`)."""
