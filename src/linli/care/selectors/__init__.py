"""Care services' reads, one module per stage; callers import the stage module."""
