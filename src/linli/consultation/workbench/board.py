"""Stage board on the staff workbench."""


def register() -> None:
    pass
