"""The workbench's support section: open cases by kind, counts only, for those who may read them
(one query); the header search finds a case by its exact number only for them."""

from linli.core.workbench import SearchQuery
from linli.mediation.domain.support import SupportKind
from linli.mediation.selectors.support import support_search, support_today
from linli.mediation.tests.support_support import TODAY, clock, open_case, world

__all__ = ["clock", "world"]


def _counts(section) -> dict[str, int]:
    return {c.key: c.count for c in section.counts} if section else {}


def test_counts_only_for_those_who_may_read(world, django_assert_num_queries):
    case = open_case(world, assigned="community_worker")
    open_case(world, SupportKind.COUNSELLING)
    open_case(world, SupportKind.DOMESTIC_VIOLENCE, person_ref=world.zhao)
    with django_assert_num_queries(1):
        section = support_today(world.actors["judicial_officer"], TODAY)
    assert _counts(section) == {"support.domestic_violence": 1, "support.corrections": 1, "support.counselling": 1}
    assert _counts(support_today(world.actors["community_worker"], TODAY)) == {"support.corrections": 1}
    assert _counts(support_today(world.actors["other_police_officer"], TODAY)) == {"support.domestic_violence": 1}
    for name in ("other_community_worker", "police_officer", "other_judicial_officer", "resident", "anonymous"):
        assert support_today(world.actors[name], TODAY) is None
    found = support_search(world.actors["community_worker"], SearchQuery(case.number, "text"))
    assert found is not None and [h.title for h in found.hits] == [case.number]
    for name in ("other_community_worker", "grid_worker", "street_officer", "police_officer"):
        assert support_search(world.actors[name], SearchQuery(case.number, "text")) is None
