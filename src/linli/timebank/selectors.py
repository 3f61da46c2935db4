"""Reads of time bank, scoped by the actor; missing and forbidden are the same 404."""
