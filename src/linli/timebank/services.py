"""Writes of time bank: one transaction each, validated and audited."""
