"""Care services' parts of the staff workbench, registered in `CareConfig.ready()`. Each stage's
scoped selector builds its section (`<stage>_today(actor, today) -> WorkSection | None`)."""

from __future__ import annotations


def care_register() -> None:
    # each stage registers its section here: workbench_register("care_<stage>", order=40.., today=...)
    return None
