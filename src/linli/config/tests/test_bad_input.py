"""Bad input to the API gets a 4xx that names what is wrong, never a 500: the server errors a
schemathesis run found (issue 13), each fixed once at the depth where it arose."""

import pytest

from linli.workdays.models import WorkCalendarDay

API = "/api/v1"


@pytest.fixture
def admin(client, people):
    client.force_login(people["city_admin"])
    return client


def _fields(response) -> list[str]:
    return [f["field"] for f in response.json()["error"]["fields"]]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"{API}/residents/households?grid=abc", "grid"),
        (f"{API}/grid/rates/units?parent=", "parent"),
        (f"{API}/grid/rates/units?parent=21x", "parent"),
        (f"{API}/grid/rates/departments?district=abc", "district"),
    ],
)
def test_a_path_that_is_not_digits_is_refused_by_name(admin, url, field):
    response = admin.get(url)
    assert response.status_code == 422
    assert field in _fields(response)


@pytest.mark.parametrize("year", [0, 10000, 99999999999999999999])
def test_a_calendar_year_out_of_range_is_refused(client, db, year):
    response = client.get(f"{API}/desk/calendar/{year}")
    assert response.status_code in {404, 422}  # too many digits for the int converter: no such page
    assert response.json()["error"]["code"] != "internal_error"


def test_a_calendar_year_in_range_answers(client, db):
    assert client.get(f"{API}/desk/calendar/2026").status_code == 200
    assert client.get(f"{API}/desk/calendar/0").status_code == 422


@pytest.mark.parametrize("day", ["0", "1700000000", "2026-13-01", "2026-1-1", "abcd-ef-gh"])
def test_a_calendar_day_must_be_an_iso_date(admin, day):
    before = WorkCalendarDay.objects.count()
    response = admin.put(f"{API}/desk/calendar/days/{day}", {"is_workday": False}, content_type="application/json")
    assert response.status_code == 422 and _fields(response) == ["day"]
    assert WorkCalendarDay.objects.count() == before


def test_a_huge_offset_is_refused_not_a_database_error(admin):
    response = admin.get(f"{API}/residents/households?offset={2**63}")
    assert response.status_code == 422 and "offset" in _fields(response)
    assert admin.get(f"{API}/residents/households?offset=1000000000").status_code == 200


@pytest.mark.parametrize("url", [f"{API}/grid/events", f"{API}/grid/events/GE210102-20261124-00001/actions/register"])
def test_multipart_without_a_boundary_is_a_400_naming_the_body(admin, url):
    response = admin.generic("POST", url, b"--x\r\nnot really\r\n", content_type="multipart/form-data")
    assert response.status_code == 422
    assert _fields(response) == ["body"]


# Found by the deeper schemathesis run (LINLI_FUZZ_EXAMPLES=200, docs/api-fuzzing.md).


@pytest.mark.parametrize("since", ["0001-01-01", "1899-12-31", "2101-01-01"])
def test_a_date_outside_the_records_years_is_refused_by_name(admin, since):
    response = admin.get(f"{API}/grid/map/points", {"since": since})
    assert response.status_code == 422 and _fields(response) == ["since"]
    assert admin.get(f"{API}/grid/map/points", {"since": "1900-01-01"}).status_code == 200


def test_a_facility_far_outside_the_city_is_refused_by_name(people):
    from linli.accounts.domain import FACILITY_EDIT
    from linli.core.actor import Actor
    from linli.facilities.services import FacilityInput, facility_check

    editor = Actor.system("tests", permissions=frozenset({FACILITY_EDIT}), root_path="2101")
    data = FacilityInput(
        kind="community_service_centre", name="远方", unit="", lat=2.25e246, lng=836, floor_area_m2=100
    )
    values, errors = facility_check(editor, data)
    assert values["lat"] is None and "lat" in [e.field for e in errors]


@pytest.mark.parametrize("since", ["0", "1700000000", "0001-01-01"])
def test_the_desk_figures_take_an_iso_date_only(admin, since):
    response = admin.get(f"{API}/desk/figures/210102", {"since": since})
    assert response.status_code == 422 and _fields(response) == ["since"]
