"""Demo data for care services, made through this app's services (`linli demo`), one step per
stage. Idempotent: a second run adds nothing."""

from __future__ import annotations

from linli.care.demo_children import demo_generate as demo_children_generate
from linli.care.demo_classes import demo_generate as demo_classes_generate
from linli.care.demo_entitlements import demo_generate as demo_entitlements_generate
from linli.care.demo_modifications import demo_generate as demo_modifications_generate
from linli.care.demo_orders import demo_generate as demo_orders_generate
from linli.care.demo_statements import demo_generate as demo_statements_generate


def demo_generate(*, city_path: str, showcase_path: str, log=print) -> None:
    # the list and assessments first, then providers, orders and visits over three months, beds and
    # statements from those visits; modifications, children and classes stand alone
    for generate in (
        demo_entitlements_generate,
        demo_orders_generate,
        demo_statements_generate,
        demo_modifications_generate,
        demo_children_generate,
        demo_classes_generate,
    ):
        generate(city_path=city_path, showcase_path=showcase_path, log=log)
