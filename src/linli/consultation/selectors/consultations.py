"""Reads of stage consultations, scoped (`selectors.scope`)."""
