"""Writes of stage village: one transaction each, checked, audited."""
