"""Writes of volunteers: one transaction each, validated and audited."""
