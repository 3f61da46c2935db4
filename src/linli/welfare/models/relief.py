"""Social assistance: relief."""

__all__: list[str] = []
