"""Writes of charity and micro-funds: one transaction each, validated and audited."""
