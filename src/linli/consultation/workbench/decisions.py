"""Stage decisions on the staff workbench."""


def register() -> None:
    pass
