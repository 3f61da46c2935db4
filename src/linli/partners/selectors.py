"""Reads of social organisations, scoped by the actor; missing and forbidden are the same 404."""
