"""Writes of stage voting: one transaction each, checked, audited."""
