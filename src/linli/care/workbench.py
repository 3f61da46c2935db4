"""Care services' parts of the staff workbench, registered in `CareConfig.ready()`. Each stage's
scoped selector builds its section (`<stage>_today(actor, today) -> WorkSection | None`)."""

from __future__ import annotations

from linli.care.selectors.children import children_today
from linli.care.selectors.classes import classes_today
from linli.care.selectors.entitlements import entitlements_today
from linli.care.selectors.modifications import modifications_today
from linli.care.selectors.orders import orders_today
from linli.care.selectors.statements import statements_today
from linli.core.workbench import workbench_register


def care_register() -> None:
    # each stage registers its section here: workbench_register("care_<stage>", order=40.., today=...)
    workbench_register("care_entitlements", order=40, today=entitlements_today)
    workbench_register("care_orders", order=41, today=orders_today)
    workbench_register("care_statements", order=42, today=statements_today)
    workbench_register("care_modifications", order=44, today=modifications_today)
    workbench_register("care_children", order=45, today=children_today)
    workbench_register("care_classes", order=46, today=classes_today)
