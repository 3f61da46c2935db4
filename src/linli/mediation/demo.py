"""Demo data for safe community, made through this app's services (`linli demo`), one step per
stage. Idempotent: a second run adds nothing."""

from __future__ import annotations

from linli.mediation.demo_disputes import demo_generate as demo_disputes_generate
from linli.mediation.demo_mediators import demo_generate as demo_mediators_generate
from linli.mediation.demo_reasoning import demo_generate as demo_reasoning_generate
from linli.mediation.demo_safety import demo_generate as demo_safety_generate
from linli.mediation.demo_screening import demo_generate as demo_screening_generate
from linli.mediation.demo_support import demo_generate as demo_support_generate


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    # the pool first (disputes are assigned to it), then a year of disputes, the screenings that
    # count them, 慧评理 cases, the safety records the four-zero status is computed from, support cases
    for generate in (
        demo_mediators_generate,
        demo_disputes_generate,
        demo_screening_generate,
        demo_reasoning_generate,
        demo_safety_generate,
        demo_support_generate,
    ):
        generate(city_path=city_path, showcase_path=showcase_path, log=log)
