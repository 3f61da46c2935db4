"""Stage burden on the staff workbench."""


def register() -> None:
    pass
