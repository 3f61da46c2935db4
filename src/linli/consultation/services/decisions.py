"""Writes of stage decisions: one transaction each, checked, audited."""
