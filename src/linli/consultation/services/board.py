"""Writes of stage board: one transaction each, checked, audited."""
