"""Demo data for social assistance, made through this app's services (`linli demo`), one step per
stage. Idempotent: a second run adds nothing."""

from __future__ import annotations

from linli.welfare.demo_applications import demo_generate as demo_applications_generate
from linli.welfare.demo_relief import demo_generate as demo_relief_generate
from linli.welfare.demo_roll import demo_generate as demo_roll_generate
from linli.welfare.demo_rules import demo_generate as demo_rules_generate


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    # the city's amounts first, then the roll (reviews due, a frozen payroll), applications at
    # each step in the showcase community, and temporary assistance and zero-employment households
    for generate in (demo_rules_generate, demo_roll_generate, demo_applications_generate, demo_relief_generate):
        generate(city_path=city_path, showcase_path=showcase_path, log=log)
