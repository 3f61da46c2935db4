"""Stage village on the staff workbench."""


def register() -> None:
    pass
