"""Safe community's reads, one module per stage; `scope` says who sees what."""
