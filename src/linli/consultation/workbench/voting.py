"""Stage voting on the staff workbench."""


def register() -> None:
    pass
