"""Demo data of stage board, made through the services. Idempotent."""


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    pass
