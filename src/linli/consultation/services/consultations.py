"""Writes of stage consultations: one transaction each, checked, audited."""
