"""Care services' writes, one module per stage; callers import the stage module."""
