"""Writes of venture projects: one transaction each, validated and audited."""
