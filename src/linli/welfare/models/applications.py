"""Social assistance: applications."""

__all__: list[str] = []
