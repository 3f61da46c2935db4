"""Demo data of safe community, stage disputes, made through this app's services."""

from __future__ import annotations


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    return None
