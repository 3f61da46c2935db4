"""Demo data of stage topics, made through the services. Idempotent."""


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    pass
