"""Writes of stage burden: one transaction each, checked, audited."""
