"""Demo data for deliberation, made through this app's services (`linli demo`), one step per stage.
Idempotent: a second run adds nothing."""

from __future__ import annotations

from linli.consultation.demo_board import demo_generate as demo_board_generate
from linli.consultation.demo_burden import demo_generate as demo_burden_generate
from linli.consultation.demo_consultations import demo_generate as demo_consultations_generate
from linli.consultation.demo_decisions import demo_generate as demo_decisions_generate
from linli.consultation.demo_topics import demo_generate as demo_topics_generate
from linli.consultation.demo_village import demo_generate as demo_village_generate
from linli.consultation.demo_voting import demo_generate as demo_voting_generate


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    # topics first (consultations are opened on them), then consultations in every state, their
    # votes, decisions and implementation; village matters at every step; conventions and the
    # boards (which publish decisions and village steps); the burden lists last
    for generate in (
        demo_topics_generate,
        demo_consultations_generate,
        demo_voting_generate,
        demo_decisions_generate,
        demo_village_generate,
        demo_board_generate,
        demo_burden_generate,
    ):
        generate(city_path=city_path, showcase_path=showcase_path, log=log)
