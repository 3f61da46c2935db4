"""Writes of social organisations: one transaction each, validated and audited."""
