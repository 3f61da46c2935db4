"""The calendar over /api/v1/workdays, and its old /api/v1/desk/calendar paths (deprecated
aliases that answer the same)."""

import pytest

from linli.core.models import AuditEntry
from linli.workdays.models import WorkCalendarDay

NEW = "/api/v1/workdays/calendar"
OLD = "/api/v1/desk/calendar"
LAW = "全国年节及纪念日放假办法"
STATUTORY_2027 = [
    ("01-01", "元旦"),
    ("02-05", "春节"),
    ("02-06", "春节"),
    ("02-07", "春节"),
    ("02-08", "春节"),
    ("04-05", "清明节"),
    ("05-01", "劳动节"),
    ("05-02", "劳动节"),
    ("06-09", "端午节"),
    ("09-15", "中秋节"),
    ("10-01", "国庆节"),
    ("10-02", "国庆节"),
    ("10-03", "国庆节"),
]


@pytest.mark.parametrize("base", [NEW, OLD])
def test_an_unpublished_year_lists_its_statutory_holidays_flagged_provisional(client, db, base):
    days = client.get(f"{base}/2027").json()
    assert [(d["day"], d["name"]) for d in days] == [(f"2027-{md}", name) for md, name in STATUTORY_2027]
    assert all(d["provisional"] and not d["is_workday"] and d["source"] == LAW for d in days)
    # a published year (seeded from chinese-calendar at install) has no provisional days
    published = client.get(f"{base}/2026").json()
    assert published and not any(d["provisional"] for d in published)
    saturday = next(d for d in published if d["day"] == "2026-02-14")  # 春节调休: a Saturday worked
    assert saturday["is_workday"] is True and saturday["source"].startswith("chinese-calendar")


@pytest.mark.parametrize("base", [NEW, OLD])
def test_calendar_edits_are_for_calendar_admins(as_user, base):
    day = {"is_workday": False, "name": "元旦", "reason": "国办发明电〔2026〕1号"}
    put = f"{base}/days/2027-01-01"
    assert as_user("anonymous").put(put, day, content_type="application/json").status_code == 401
    assert as_user("community_worker").put(put, day, content_type="application/json").status_code == 403
    assert not WorkCalendarDay.objects.filter(day__year=2027).exists()
    answer = as_user("city_admin").put(put, day, content_type="application/json")
    assert answer.status_code == 200
    assert answer.json() == {
        "day": "2027-01-01",
        "is_workday": False,
        "name": "元旦",
        "source": "admin",
        "provisional": False,
    }
    days = as_user("anonymous").get(f"{NEW}/2027").json()
    assert days[0] == {
        "day": "2027-01-01",
        "is_workday": False,
        "name": "元旦",
        "source": "admin",
        "provisional": False,
    }
    # the first entry for the unpublished year keeps the statutory weekday holidays as rows, and
    # the year is known now: nothing is provisional any more
    assert [(d["day"], d["name"], d["source"], d["provisional"]) for d in days[1:]] == [
        (f"2027-{md}", name, LAW, False)
        for md, name in [
            ("02-05", "春节"),
            ("02-08", "春节"),
            ("04-05", "清明节"),
            ("06-09", "端午节"),
            ("09-15", "中秋节"),
            ("10-01", "国庆节"),
        ]
    ]
    audit = AuditEntry.objects.get(action="calendar.day_set")
    assert audit.details["reason"] == "国办发明电〔2026〕1号"


def test_the_old_paths_are_marked_deprecated_in_the_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert paths["/api/v1/desk/calendar/{year}"]["get"]["deprecated"] is True
    assert paths["/api/v1/desk/calendar/days/{day}"]["put"]["deprecated"] is True
    assert "deprecated" not in paths["/api/v1/workdays/calendar/{year}"]["get"]
    assert "deprecated" not in paths["/api/v1/workdays/calendar/days/{day}"]["put"]
    # every answer the calendar gives is declared (others may be added for every operation)
    assert {"200", "422"} <= paths["/api/v1/workdays/calendar/{year}"]["get"]["responses"].keys()
    assert {"200", "401", "403", "422"} <= paths["/api/v1/workdays/calendar/days/{day}"]["put"]["responses"].keys()


@pytest.mark.parametrize("base", [NEW, OLD])
@pytest.mark.parametrize("year", [0, 1948, 2101, 10000])
def test_a_year_out_of_range_is_refused_naming_it(client, db, base, year):
    response = client.get(f"{base}/{year}")
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["year"]


@pytest.mark.parametrize("day", ["0", "1700000000", "2027-13-01", "2027-1-1", "1900-01-01"])
def test_a_day_must_be_an_iso_date_in_range(as_user, day):
    response = as_user("city_admin").put(f"{NEW}/days/{day}", {"is_workday": False}, content_type="application/json")
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["day"]
    assert not WorkCalendarDay.objects.filter(source="admin").exists()
