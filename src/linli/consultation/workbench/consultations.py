"""Stage consultations on the staff workbench."""


def register() -> None:
    pass
