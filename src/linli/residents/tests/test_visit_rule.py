"""The one rule for when a special-care visit is due, used by the care lists, the visit plan and
the workbench: a visit due today is due today, not overdue."""

from datetime import date, timedelta

from django.utils import timezone

from linli.accounts.selectors import actor_for_user
from linli.residents.domain import VisitStatus, visit_due_on, visit_status
from linli.residents.models import HomeVisit
from linli.residents.selectors import care_list, visit_plan

TODAY = date(2026, 12, 7)


def test_due_one_interval_after_the_last_visit():
    assert visit_due_on(last_visit=date(2026, 11, 30), interval_days=7, joined_on=date(2024, 1, 1), today=TODAY) == (
        date(2026, 12, 7)
    )


def test_never_visited_is_due_from_the_day_they_joined():
    assert visit_due_on(last_visit=None, interval_days=7, joined_on=date(2026, 12, 1), today=TODAY) == date(2026, 12, 1)
    # joined today (or a date in the future by mistake): due today, never later
    assert visit_due_on(last_visit=None, interval_days=7, joined_on=date(2027, 1, 1), today=TODAY) == TODAY
    assert visit_due_on(last_visit=None, interval_days=7, joined_on=None, today=TODAY) == TODAY


def test_status_is_overdue_only_after_the_due_day():
    assert visit_status(date(2026, 12, 6), TODAY) == VisitStatus.OVERDUE
    assert visit_status(TODAY, TODAY) == VisitStatus.DUE_TODAY
    assert visit_status(date(2026, 12, 8), TODAY) == VisitStatus.UPCOMING


def test_plan_and_care_list_agree_on_a_visit_due_today(client, people, pool):
    """张建国 (weekly) was visited ten days ago in the `pool` fixture: move his visit to exactly
    a week ago and both pages call him due today, neither calls him overdue."""
    HomeVisit.objects.update(visited_at=timezone.now() - timedelta(days=7))
    actor = actor_for_user(people["community_worker"])
    row = next(r for r in care_list(actor=actor) if r.resident.name == "张建国")
    item = next(i for i in visit_plan(actor=actor) if "张建国" in i.residents)
    assert (row.status, item.status) == (VisitStatus.DUE_TODAY, VisitStatus.DUE_TODAY)
    client.force_login(people["community_worker"])
    plan_page = client.get("/staff/residents/plan/").content.decode()
    assert "今日到期" in plan_page
