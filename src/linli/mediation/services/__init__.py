"""Safe community's writes, one module per stage (one transaction, checks, audit)."""
