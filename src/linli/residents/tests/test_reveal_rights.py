"""The reveal-rights table (decision 0012): every role × every sealed field through the service, the
API and the staff page; the city's page that edits the table (reason, confirmation, audit, only the
city's administrator) and a change that holds for the very next request."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from linli.accounts.domain import RESIDENTS_REVEAL, Role, permissions_for
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.residents.domain import DEFAULT_REVEAL_RIGHTS, REVEAL_ROLES, SEALED_FIELDS
from linli.residents.models import RevealRight
from linli.residents.selectors import reveal_rights, revealable_for
from linli.residents.services import resident_reveal, reveal_rights_set
from linli.residents.tests.conftest import POOL_NOTES, SEES_ZHANG

API = "/api/v1/residents"
PAGE = "/staff/residents/reveal-rights/"
STAFF_ROLES = sorted(set(Role) - {Role.RESIDENT})
# The accounts of `people` who see 张建国 (a role each), for the API and page matrices.
SEEING = sorted(who for who, sees in SEES_ZHANG.items() if sees)
ROLE_OF = {
    "grid_worker": "grid_worker",
    "community_worker": "community_worker",
    "street_officer": "street_officer",
    "department_officer": "department_officer",
    "district_admin": "district_admin",
    "city_admin": "city_admin",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def role_actor(role: str) -> Actor:
    """An actor holding one role with exactly that role's permissions, scoped to the whole city."""
    return Actor(
        user_id=None, username=role, roles=frozenset({role}), permissions=permissions_for({role}), scope_paths=("2101",)
    )


def test_defaults_give_id_numbers_and_phones_only_to_the_roles_whose_work_needs_them(db):
    assert reveal_rights() == DEFAULT_REVEAL_RIGHTS
    assert {role for role, _ in DEFAULT_REVEAL_RIGHTS} == {"grid_worker", "community_worker", "street_officer"}
    assert ("street_officer", "notes") not in DEFAULT_REVEAL_RIGHTS
    # every role given a right holds the permission the log-in asks a second factor for
    assert all(RESIDENTS_REVEAL in permissions_for({role}) for role, _ in DEFAULT_REVEAL_RIGHTS)
    assert set(REVEAL_ROLES) == {"grid_worker", "community_worker", "street_officer"}


@pytest.mark.parametrize("field_name", SEALED_FIELDS)
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_matrix_through_the_service(pool, role, field_name):
    allowed = (role, field_name) in DEFAULT_REVEAL_RIGHTS
    actor = role_actor(role)
    assert (field_name in revealable_for(actor)) is allowed
    if allowed:
        value = resident_reveal(actor=actor, resident=pool["zhang"], field_name=field_name, reason="核对信息")
        assert value and "*" not in value
        assert AuditEntry.objects.filter(action="resident.reveal", details__field=field_name).count() == 1
    else:
        with pytest.raises(DomainError) as refused:
            resident_reveal(actor=actor, resident=pool["zhang"], field_name=field_name, reason="核对信息")
        assert refused.value.status == 403
        assert not AuditEntry.objects.filter(action="resident.reveal").exists()


@pytest.mark.parametrize("field_name", SEALED_FIELDS)
@pytest.mark.parametrize("who", SEEING)
def test_matrix_through_the_api(client, people, pool, who, field_name):
    allowed = (ROLE_OF[who], field_name) in DEFAULT_REVEAL_RIGHTS
    client.force_login(people[who])
    card = client.get(f"{API}/{pool['zhang'].public_id}").json()
    assert (field_name in card["revealable"]) is allowed
    response = client.post(
        f"{API}/{pool['zhang'].public_id}/reveal",
        {"field": field_name, "reason": "核对信息"},
        content_type="application/json",
    )
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        assert response.json()["value"] not in ("", None) and "*" not in response.json()["value"]
    else:
        assert response.json()["error"]["code"] == "permission_denied"
    assert AuditEntry.objects.filter(action="resident.reveal").count() == (1 if allowed else 0)


@pytest.mark.parametrize("field_name", SEALED_FIELDS)
@pytest.mark.parametrize("who", SEEING)
def test_matrix_through_the_staff_page(client, people, pool, who, field_name):
    allowed = (ROLE_OF[who], field_name) in DEFAULT_REVEAL_RIGHTS
    client.force_login(people[who])
    card = client.get(f"/staff/residents/people/{pool['zhang'].public_id}/").content.decode()
    assert (f"/reveal/{field_name}/" in card) is allowed
    response = client.post(
        f"/staff/residents/people/{pool['zhang'].public_id}/reveal/{field_name}/", {"reason": "核对"}
    )
    assert response.status_code == (200 if allowed else 403)
    assert AuditEntry.objects.filter(action="resident.reveal").count() == (1 if allowed else 0)


def test_a_row_without_the_permission_reveals_nothing(pool):
    """Reveal needs residents.reveal AND a row: a row slipped in for a role without the
    permission (by hand in the database) opens nothing, so no reveal bypasses the second factor."""
    RevealRight.objects.create(role="department_officer", field_name="id_number")
    actor = role_actor("department_officer")
    assert revealable_for(actor) == frozenset()
    with pytest.raises(DomainError) as refused:
        resident_reveal(actor=actor, resident=pool["zhang"], field_name="id_number", reason="核对")
    assert refused.value.status == 403


def test_the_database_refuses_a_right_to_a_field_that_is_not_sealed(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RevealRight.objects.create(role="grid_worker", field_name="name")


# --- the city's page -----------------------------------------------------------------------


def page_form(rights, *, reason="按最小必要原则调整", confirm=True, seen=None) -> dict:
    data = {f"right-{role}-{field_name}": "on" for role, field_name in rights}
    data["seen"] = ",".join(sorted(f"{r}:{f}" for r, f in (DEFAULT_REVEAL_RIGHTS if seen is None else seen)))
    data["reason"] = reason
    if confirm:
        data["confirm"] = "on"
    return data


def visible_text(html: str) -> str:
    body = html.split("<main", 1)[-1]
    return re.sub(r"<[^>]+>", " ", body)


def test_city_admin_sees_the_matrix_in_chinese(client, people):
    client.force_login(people["city_admin"])
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    for label in ("网格员", "社区工作者", "街道干部", "身份证号", "联系电话", "备注"):
        assert label in text, label
    assert not re.search(r"\b(grid_worker|community_worker|street_officer|id_number|phone|notes)\b", text)
    form = response.context["form"]
    assert form["right-street_officer-id_number"].value() is True
    assert form["right-street_officer-notes"].value() is False
    assert f'href="{PAGE}"' in html  # in the staff menu, marked as the current page


@pytest.mark.parametrize(
    "who", ["district_admin", "street_officer", "community_worker", "department_officer", "auditor", "resident"]
)
def test_the_page_does_not_exist_outside_the_city(client, people, who):
    client.force_login(people[who])
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, page_form(set())).status_code == 404
    assert reveal_rights() == DEFAULT_REVEAL_RIGHTS
    assert f'href="{PAGE}"' not in client.get("/staff/").content.decode()


def test_the_service_refuses_anyone_but_the_city_admin(actors):
    for who in ("district_admin", "street_officer", "auditor", "anonymous"):
        with pytest.raises(DomainError) as refused:
            reveal_rights_set(actor=actors[who], rights=set(), reason="收回全部权限")
        assert refused.value.status == 403
    assert reveal_rights() == DEFAULT_REVEAL_RIGHTS
    assert not AuditEntry.objects.filter(action="reveal_rights.change").exists()


def test_a_change_on_the_page_holds_for_the_next_request_and_is_audited(client, people, pool):
    wanted = (DEFAULT_REVEAL_RIGHTS - {("street_officer", "id_number")}) | {("street_officer", "notes")}
    client.force_login(people["city_admin"])
    response = client.post(PAGE, page_form(wanted, reason="街道干部无需完整身份证号"))
    assert response.status_code == 302 and response["Location"] == PAGE
    assert reveal_rights() == wanted

    entry = AuditEntry.objects.get(action="reveal_rights.change")
    assert entry.actor_name == "city_admin" and entry.reason == "街道干部无需完整身份证号"
    assert entry.details["granted"] == ["street_officer:notes"]
    assert entry.details["revoked"] == ["street_officer:id_number"]
    assert (
        "street_officer:id_number" in entry.details["before"]
        and "street_officer:id_number" not in entry.details["after"]
    )

    # another session, the very next request: the street officer lost the ID number, gained the notes
    client.force_login(people["street_officer"])
    url = f"{API}/{pool['zhang'].public_id}/reveal"
    refused = client.post(url, {"field": "id_number", "reason": "核对"}, content_type="application/json")
    assert refused.status_code == 403
    notes = client.post(url, {"field": "notes", "reason": "核对"}, content_type="application/json")
    assert notes.status_code == 200 and notes.json()["value"] == POOL_NOTES


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": " x "}, "reason"),
        ({"confirm": False}, "confirm"),
    ],
)
def test_refused_without_reason_or_confirmation(client, people, form, field):
    client.force_login(people["city_admin"])
    response = client.post(PAGE, page_form(set(), **form), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.context["form"].has_error(field)
    assert reveal_rights() == DEFAULT_REVEAL_RIGHTS
    assert not AuditEntry.objects.filter(action="reveal_rights.change").exists()


def test_a_right_for_a_role_without_the_permission_is_refused(actors):
    with pytest.raises(DomainError) as refused:
        reveal_rights_set(
            actor=actors["city_admin"],
            rights=set(DEFAULT_REVEAL_RIGHTS) | {("department_officer", "id_number")},
            reason="民政局需要身份证号",
        )
    assert refused.value.status == 422 and [f.field for f in refused.value.fields] == ["rights"]
    with pytest.raises(DomainError):
        reveal_rights_set(actor=actors["city_admin"], rights={("grid_worker", "name")}, reason="试一试")
    assert reveal_rights() == DEFAULT_REVEAL_RIGHTS


def test_an_edit_over_a_change_made_meanwhile_is_refused(client, people, actors):
    reveal_rights_set(
        actor=actors["city_admin"], rights=set(DEFAULT_REVEAL_RIGHTS) - {("grid_worker", "notes")}, reason="先改"
    )
    client.force_login(people["city_admin"])
    # this page was loaded before the change above: saving it would silently give the notes back
    response = client.post(PAGE, page_form(DEFAULT_REVEAL_RIGHTS, reason="后改"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "changed meanwhile" in response.content.decode()
    assert ("grid_worker", "notes") not in reveal_rights()
    assert AuditEntry.objects.filter(action="reveal_rights.change").count() == 1


def test_saving_the_same_table_writes_nothing(client, people):
    client.force_login(people["city_admin"])
    response = client.post(PAGE, page_form(DEFAULT_REVEAL_RIGHTS))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="reveal_rights.change").exists()
