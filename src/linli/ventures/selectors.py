"""Reads of venture projects, scoped by the actor; missing and forbidden are the same 404."""
