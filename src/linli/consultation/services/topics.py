"""Writes of stage topics: one transaction each, checked, audited."""
