"""Demo data of stage burden, made through the services. Idempotent."""


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    pass
