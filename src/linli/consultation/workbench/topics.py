"""Stage topics on the staff workbench."""


def register() -> None:
    pass
