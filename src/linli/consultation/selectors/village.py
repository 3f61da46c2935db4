"""Reads of stage village, scoped (`selectors.scope`): staff see the matters of their area, a
villager those of their own village (adopted texts and results, never the party meeting's
minutes), anyone the published ones on the public board. One 404 for missing and forbidden."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from linli.accounts.domain import CONSULT_MANAGE, CONSULT_TAKE_PART, CONSULT_VIEW, VILLAGE_REVIEW, Role
from linli.areas.selectors import org_unit_by_path, unit_names, units_under
from linli.consultation.domain.village import STEP_ORDER, MatterState, StepResult, VillageStep, next_step, steps_done
from linli.consultation.models import MajorMatterKind, VillageMatter, VillageMatterStep, VillageRepresentative
from linli.consultation.selectors.scope import area_q, home_community
from linli.core.actor import Actor
from linli.core.errors import not_found

TOWN_LEN = 9
VILLAGE_LEN = 12
SUCCESS = (StepResult.DONE, StepResult.PASSED, StepResult.APPROVED)
PUBLISHED = (VillageStep.PUBLISH_RESOLUTION, VillageStep.PUBLISH_RESULT)
# what a villager or the public board shows of a step: never the minutes, never who recorded it
PUBLIC_STEPS = (VillageStep.PROPOSE, VillageStep.RESOLVE, VillageStep.REVIEW, *PUBLISHED)


def may_view(actor: Actor) -> bool:
    return any(actor.has_perm(p) for p in (CONSULT_VIEW, CONSULT_MANAGE, VILLAGE_REVIEW))


def matter_list(*, actor: Actor, state: str = "") -> QuerySet[VillageMatter]:
    """The matters of the actor's area, newest first; `state` "live" for those in procedure."""
    if not may_view(actor):
        return VillageMatter.objects.none()
    matters = VillageMatter.objects.filter(area_q(actor)).select_related("kind")
    if state == "live":
        return matters.filter(state__in=[MatterState.OPEN, MatterState.RETURNED])
    return matters.filter(state=state) if state in MatterState.values else matters


def matter_get(*, actor: Actor, public_id) -> VillageMatter:
    matter = matter_list(actor=actor).filter(public_id=public_id).first()
    if matter is None:
        raise not_found("重大事项", "Major matter")
    return matter


def review_queue(*, actor: Actor) -> QuerySet[VillageMatter]:
    """Matters resolved and awaiting the town's review, for the town (oldest first)."""
    if not actor.has_perm(VILLAGE_REVIEW):
        return VillageMatter.objects.none()
    return (
        VillageMatter.objects.filter(area_q(actor), state=MatterState.OPEN, stage=VillageStep.RESOLVE)
        .select_related("kind")
        .order_by("updated_at", "pk")
    )


def village_counts(*, actor: Actor) -> dict[str, int]:
    """The workbench's numbers in one query: awaiting review (the town), returned (the village)."""
    counts = VillageMatter.objects.filter(area_q(actor)).aggregate(
        review=Count("pk", filter=Q(state=MatterState.OPEN, stage=VillageStep.RESOLVE)),
        returned=Count("pk", filter=Q(state=MatterState.RETURNED)),
    )
    return {
        "review": counts["review"] if actor.has_perm(VILLAGE_REVIEW) else 0,
        "returned": counts["returned"] if actor.has_perm(CONSULT_MANAGE) else 0,
    }


@dataclass(frozen=True)
class StripStep:
    """One box of the progress strip."""

    step: str
    label: str
    done: bool
    current: bool  # the next step to record
    failed: int  # failed attempts in this round


def strip(matter: VillageMatter, rows: list[VillageMatterStep] | None = None) -> list[StripStep]:
    """The steps with done ✓, the next highlighted, and the failed attempts of this round."""
    done = steps_done(matter.stage)
    live = matter.state in (MatterState.OPEN, MatterState.RETURNED)
    upcoming = next_step(done) if live else None
    failures: dict[str, int] = {}
    for row in rows or []:
        if row.round == matter.round and row.result in (StepResult.NO_QUORUM, StepResult.NOT_PASSED):
            failures[row.step] = failures.get(row.step, 0) + 1
    labels = dict(VillageStep.choices)
    return [
        StripStep(step, str(labels[step]), step in done, step == upcoming, failures.get(step, 0)) for step in STEP_ORDER
    ]


def matter_steps(matter: VillageMatter) -> list[VillageMatterStep]:
    return list(matter.steps.all())


def upcoming_step(matter: VillageMatter) -> str | None:
    if matter.state not in (MatterState.OPEN, MatterState.RETURNED):
        return None
    return next_step(steps_done(matter.stage))


def village_name(path: str) -> str:
    return unit_names([path]).get(path, "")


# ---- the major-matter list and the representatives -----------------------------------------------


def kind_list(*, actor: Actor) -> QuerySet[MajorMatterKind]:
    """The city's rows and those of the towns in (or above) the actor's area."""
    if not may_view(actor):
        return MajorMatterKind.objects.none()
    towns = {p[:TOWN_LEN] for p in actor.scope_paths if len(p) >= TOWN_LEN}
    mine = Q(path="") | Q(path__in=towns) | area_q(actor)
    return MajorMatterKind.objects.filter(mine).order_by("path", "position", "code")


def kind_choices(village_path: str) -> list[tuple[int, str, str]]:
    """(id, zh, en) of the active rows that apply in a village: the town's own row with a city
    code replaces the city's."""
    rows = MajorMatterKind.objects.filter(Q(path="") | Q(path=village_path[:TOWN_LEN]), active=True)
    chosen: dict[str, MajorMatterKind] = {}
    for row in rows.order_by("path", "position"):
        chosen[row.code] = row  # the town's ("2101…") sorts after the city's ("")
    return [(row.pk, row.name_zh, row.name_en) for row in sorted(chosen.values(), key=lambda r: r.position)]


def may_manage_villages(actor: Actor) -> bool:
    """CONSULT_MANAGE over a village, judged from the division codes alone (no query, for the
    menu): a 12-digit unit whose serial is 200–399 is a villagers' committee (GB/T 10114's
    村民委员会 range); a shorter scope path may hold villages."""
    if not actor.has_perm(CONSULT_MANAGE):
        return False
    return any(len(p) < VILLAGE_LEN or (len(p) == VILLAGE_LEN and "200" <= p[9:] <= "399") for p in actor.scope_paths)


def villages_managed(*, actor: Actor) -> list[tuple[str, str]]:
    """(path, name) of the villages where the actor may propose matters."""
    if not actor.has_perm(CONSULT_MANAGE):
        return []
    found: dict[str, str] = {}
    for prefix in actor.scope_paths:
        for path, name, _kind in units_under(under=prefix, kinds=("village",))[:200]:
            found[path] = name
    return sorted(found.items())


def representative_list(*, actor: Actor, path: str, on: dt.date) -> list[VillageRepresentative]:
    """The village's representatives, those in office on `on` first."""
    if not may_view(actor) or not actor.sees_path(path):
        raise not_found("村", "Village")
    reps = VillageRepresentative.objects.filter(path=path).order_by("-until", "since", "pk")
    return sorted(reps, key=lambda r: (r.until is not None and r.until < on, r.since, r.pk))


# ---- a villager's and the public's view ------------------------------------------------------------


def home_village(actor: Actor) -> str:
    """The village a resident account lives in ("" for a resident of an urban community)."""
    if not actor.has_perm(CONSULT_TAKE_PART):
        return ""
    path = home_community(actor)
    unit = org_unit_by_path(path) if path else None
    return path if unit is not None and unit.kind == "village" else ""


def resident_matters(*, path: str) -> QuerySet[VillageMatter]:
    """A village's matters for its villagers (not the withdrawn ones)."""
    if not path:
        return VillageMatter.objects.none()
    return VillageMatter.objects.filter(path=path).exclude(state=MatterState.WITHDRAWN).select_related("kind")


def resident_matter(*, path: str, public_id) -> tuple[VillageMatter, list[VillageMatterStep]]:
    matter = resident_matters(path=path).filter(public_id=public_id).first()
    if matter is None:
        raise not_found("重大事项", "Major matter")
    return matter, public_steps(matter)


def public_steps(matter: VillageMatter) -> list[VillageMatterStep]:
    """What villagers and the public see: the proposal, the resolution's attempts and results,
    the review's verdict and the publications; no minutes of the party meeting."""
    return list(matter.steps.filter(step__in=PUBLIC_STEPS).defer("minutes"))


def public_matter(*, public_id) -> tuple[VillageMatter, list[VillageMatterStep]]:
    """A matter whose resolution is on the public board (no log-in)."""
    matter = (
        VillageMatter.objects.filter(public_id=public_id, stage__in=PUBLISHED)
        .exclude(state=MatterState.WITHDRAWN)
        .select_related("kind")
        .first()
    )
    if matter is None:
        raise not_found("公开事项", "Published matter")
    rows = matter.steps.filter(step__in=PUBLISHED, result=StepResult.DONE)
    return matter, list(rows.defer("minutes"))


def unit_names_of(matters) -> dict[str, str]:
    """The villages' names of a page of matters, in one query."""
    return unit_names({m.path for m in matters})


def kind_paths_editable(actor: Actor) -> list[tuple[str, str]]:
    """Where the actor may add rows to the list: the city (a city administrator), their towns
    (CONSULT_MANAGE held over a town)."""
    places = [("", _("The whole city"))] if actor.has_role(Role.CITY_ADMIN) else []
    if actor.has_perm(CONSULT_MANAGE):
        towns = [p for p in actor.scope_paths if len(p) == TOWN_LEN]
        places += sorted(unit_names(towns).items())
    return places


def kind_unit_names(actor: Actor) -> dict[str, str]:
    """Names of the towns whose own rows the actor sees."""
    return unit_names({k.path for k in kind_list(actor=actor) if k.path})


def village_has_matters(path: str) -> bool:
    """Whether a village has any major matter (the demo's idempotency)."""
    return VillageMatter.objects.filter(path=path).exists()
