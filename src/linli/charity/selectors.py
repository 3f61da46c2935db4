"""Reads of charity and micro-funds, scoped by the actor; missing and forbidden are the same 404."""
