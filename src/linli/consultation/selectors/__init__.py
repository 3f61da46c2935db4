"""Reads of deliberation, one module per stage; every one scoped through `scope`."""
