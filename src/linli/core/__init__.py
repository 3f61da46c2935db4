"""Shared kernel with no domain knowledge: the Actor and data scope, audit, errors, crypto,
ids, logging and the operational endpoints. Every other app may import it; it imports none."""
