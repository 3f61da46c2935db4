"""Restricted support cases on the pages and the API: a case that a community worker without the
role cannot find by list, search, export, API or URL; the assigned worker opens only their case;
another street's judicial officer and a police officer outside the beat cannot; every read is
audited; the lead's filer sees only the receipt; the unmasked export needs a reason."""

from __future__ import annotations

from django.urls import reverse

from linli.core.models import AuditEntry
from linli.core.sheets import read_rows
from linli.mediation.domain.support import SupportKind
from linli.mediation.models import SupportCase
from linli.mediation.tests.support_support import PLAN, SEEN, SHUIYUANDI, TODAY, clock, open_case, world
from linli.testing import log_in

__all__ = ["clock", "world"]

LIST = reverse("portal:mediation:support-list")
EXPORT = reverse("portal:mediation:support-export")


def _case_url(case) -> str:
    return reverse("portal:mediation:support-case", args=[case.public_id])


def _sheet_text(response) -> str:
    header, rows = read_rows(b"".join(response.streaming_content) if response.streaming else response.content)
    return " ".join(header + [cell for _, cells in rows for cell in cells])


def _cannot_find(client, username: str, case) -> None:
    """Every route: list, header search, export, API list and read, the case's URL."""
    log_in(client, username)
    listed = client.get(LIST)
    assert listed.status_code in (200, 404) and case.number not in listed.content.decode()
    searched = client.get(reverse("portal:staff-search"), {"q": case.number})
    assert searched.status_code == 200 and _case_url(case) not in searched.content.decode()
    exported = client.get(EXPORT)
    assert exported.status_code == 404 or case.number not in _sheet_text(exported)
    api = client.get("/api/v1/mediation/support/cases")
    assert api.status_code == 404 or case.number not in api.content.decode()
    read = client.post(
        f"/api/v1/mediation/support/cases/{case.public_id}/read",
        {"reason": "了解情况"},
        content_type="application/json",
    )
    assert read.status_code == 404
    assert client.get(_case_url(case)).status_code == 404
    assert client.post(_case_url(case), {"reason": "了解情况"}).status_code == 404


def test_a_restricted_case_is_found_by_no_route_without_the_role(client, world):
    judicial = open_case(world, assigned="community_worker")
    family = open_case(world, SupportKind.DOMESTIC_VIOLENCE)
    for username in ("grid_worker", "other_community_worker", "street_officer", "other_judicial_officer", "resident"):
        _cannot_find(client, username, judicial)
        _cannot_find(client, username, family)
    _cannot_find(client, "community_worker", family)  # assigned to the other case only
    _cannot_find(client, "other_police_officer", family)  # outside the beat
    _cannot_find(client, "police_officer", judicial)  # not their kind
    log_in(client, "other_community_worker")
    assert client.get(LIST).status_code == 404 and client.get(EXPORT).status_code == 404
    assert client.get("/api/v1/mediation/support/cases").status_code == 404
    assert not AuditEntry.objects.filter(action="mediation.support_read").exists()
    # the assigned worker finds their case (list, search, page) and nothing else
    log_in(client, "community_worker")
    listed = client.get(LIST).content.decode()
    assert judicial.number in listed and "王**" in listed and "王秀兰" not in listed
    searched = client.get(reverse("portal:staff-search"), {"q": judicial.number}).content.decode()
    assert _case_url(judicial) in searched
    assert client.get(_case_url(judicial)).status_code == 200
    # the police officer of the beat finds the family case
    log_in(client, "police_officer")
    assert family.number in client.get(LIST).content.decode()
    assert [c["number"] for c in client.get("/api/v1/mediation/support/cases").json()["items"]] == [family.number]


def test_every_read_on_the_page_asks_a_reason_and_is_audited(client, world):
    case = open_case(world, assigned="community_worker")
    log_in(client, "judicial_officer")
    first = client.get(_case_url(case)).content.decode()
    assert case.number in first and "王秀兰" not in first and PLAN not in first
    assert client.post(_case_url(case), {"reason": ""}).status_code == 422
    assert not AuditEntry.objects.filter(action="mediation.support_read").exists()
    read = client.post(_case_url(case), {"reason": "走访前查阅"}).content.decode()
    assert "王秀兰" in read and PLAN in read
    act = reverse("portal:mediation:support-act", args=[case.public_id])
    done = client.post(
        act,
        {
            "act": "entry",
            "kind": "visit",
            "on": TODAY.isoformat(),
            "note": "入户走访，情况稳定",
            "read_reason": "记录走访",
        },
    )
    assert done.status_code == 200 and "入户走访，情况稳定" in done.content.decode()
    future = client.post(
        act, {"act": "entry", "kind": "visit", "on": "2027-01-01", "note": "x", "read_reason": "记录走访"}
    )
    assert future.status_code == 422
    close = client.post(act, {"act": "close", "reason": "矫正期满", "read_reason": "结案前核对"})
    assert close.status_code == 422 and SupportCase.objects.get().state == "open"
    log_in(client, "community_worker")
    mine = client.post(_case_url(case), {"reason": "走访前查阅"}).content.decode()
    assert "入户走访，情况稳定" in mine and 'name="act" value="close"' not in mine
    assert (
        client.post(act, {"act": "close", "reason": "矫正期满", "confirmed": "on", "read_reason": "x"}).status_code
        == 404
    )
    reads = AuditEntry.objects.filter(action="mediation.support_read").order_by("pk")
    assert [(a.actor_name, a.reason) for a in reads] == [
        ("judicial_officer", "走访前查阅"),
        ("judicial_officer", "记录走访"),
        ("judicial_officer", "记录走访"),
        ("judicial_officer", "结案前核对"),
        ("community_worker", "走访前查阅"),
    ]


def test_the_lead_filer_sees_the_receipt_only(client, world, django_capture_on_commit_callbacks):
    log_in(client, "grid_worker")
    lead = reverse("portal:mediation:support-lead")
    found = client.post(lead, {"search": "1", "q": "王秀"})
    assert found.status_code == 200 and f"?person={world.wang}" in found.content.decode()
    assert not SupportCase.objects.exists()
    assert client.post(lead, {"person_ref": world.wang, "what_was_seen": "吵"}).status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(lead, {"person_ref": world.wang, "what_was_seen": SEEN})
    case = SupportCase.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "portal:mediation:support-receipt", args=[case.number]
    )
    receipt = client.get(response.url).content.decode()
    assert case.number in receipt and SEEN not in receipt and "王秀兰" not in receipt
    receipts = client.get(reverse("portal:mediation:support-receipts")).content.decode()
    assert case.number in receipts and SEEN not in receipts
    _cannot_find(client, "grid_worker", case)
    log_in(client, "community_worker")
    assert client.get(reverse("portal:mediation:support-receipt", args=[case.number])).status_code == 404
    log_in(client, "police_officer")
    read = client.post(_case_url(case), {"reason": "核实线索"}).content.decode()
    assert SEEN in read and "王秀兰" in read
    api = client.post(
        "/api/v1/mediation/support/leads",
        {"name": "某女士", "community": SHUIYUANDI, "what_was_seen": SEEN},
        content_type="application/json",
        headers={"Idempotency-Key": "lead-1"},
    )
    assert api.status_code == 201 and set(api.json()) == {"number", "filed_at", "received"}


def test_the_unmasked_export_needs_a_holder_and_a_reason(client, world):
    case = open_case(world, assigned="community_worker")
    log_in(client, "community_worker")
    masked = client.get(EXPORT)
    assert masked.status_code == 200 and case.number in _sheet_text(masked) and "王秀兰" not in _sheet_text(masked)
    assert client.post(EXPORT, {"reason": "需要名单核对"}).status_code == 404
    log_in(client, "judicial_officer")
    refused = client.post(EXPORT, {"reason": ""})
    assert refused.status_code == 422
    assert AuditEntry.objects.filter(action="mediation.support_export").count() == 1
    full = client.post(EXPORT, {"reason": "季度报区司法局"})
    assert full.status_code == 200 and "王秀兰" in _sheet_text(full)
    audited = AuditEntry.objects.filter(action="mediation.support_export").order_by("pk")
    assert [(a.actor_name, a.reason, a.details["masked"]) for a in audited] == [
        ("community_worker", "", True),
        ("judicial_officer", "季度报区司法局", False),
    ]


def test_the_list_runs_in_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    for _ in range(3):
        open_case(world)
        open_case(world, SupportKind.DRUG_REHAB, person_ref=world.zhao)
    log_in(client, "judicial_officer")
    client.get(LIST)  # the session and the menu's caches warm
    with django_assert_num_queries(6):
        listed = client.get(LIST)
    assert listed.content.decode().count('<tr><td><a href="/staff/mediation/support/') == 6
    with django_assert_num_queries(5):
        api = client.get("/api/v1/mediation/support/cases")
    assert api.json()["count"] == 6


def test_opening_a_case_on_the_page(client, world):
    log_in(client, "judicial_officer")
    page = reverse("portal:mediation:support-open")
    assert client.get(page, {"person": world.wang}).status_code == 200
    bad = client.post(page, {"person_ref": world.wang, "kind": "corrections", "until": "2026-01-01"})
    assert bad.status_code == 422 and not SupportCase.objects.exists()
    done = client.post(page, {"person_ref": world.wang, "kind": "corrections", "plan": PLAN, "assigned": "grid_worker"})
    case = SupportCase.objects.get()
    assert done.status_code == 302 and done.url == _case_url(case)
    assert (case.path, case.assigned_name) == (SHUIYUANDI, "grid_worker")
    log_in(client, "community_worker")
    assert client.get(page).status_code == 404


def test_the_api_opens_records_assigns_and_closes_with_the_same_rules(client, world):
    log_in(client, "judicial_officer")
    body = {"kind": "drug_rehab", "person": world.wang, "plan": PLAN, "until": "2027-06-30"}
    created = client.post(
        "/api/v1/mediation/support/cases", body, content_type="application/json", headers={"Idempotency-Key": "bf-1"}
    )
    again = client.post(
        "/api/v1/mediation/support/cases", body, content_type="application/json", headers={"Idempotency-Key": "bf-1"}
    )
    assert created.status_code == 201 and again.json() == created.json() and SupportCase.objects.count() == 1
    assert "王秀兰" not in created.content.decode() and PLAN not in created.content.decode()
    url = f"/api/v1/mediation/support/cases/{created.json()['id']}"
    entry = {"kind": "visit", "on": TODAY.isoformat(), "note": "入户走访"}
    assert client.post(f"{url}/entries", entry, content_type="application/json").status_code == 201
    assigned = client.post(f"{url}/assign", {"username": "community_worker"}, content_type="application/json")
    assert assigned.status_code == 200 and assigned.json()["assigned"] == "community_worker"
    unconfirmed = client.post(f"{url}/close", {"reason": "戒毒期满解除"}, content_type="application/json")
    assert unconfirmed.status_code == 422 and unconfirmed.json()["error"]["fields"][0]["field"] == "confirmed"
    log_in(client, "other_judicial_officer")
    assert client.post(f"{url}/entries", entry, content_type="application/json").status_code == 404
    log_in(client, "community_worker")
    closing = {"reason": "戒毒期满解除", "confirmed": True}
    assert client.post(f"{url}/close", closing, content_type="application/json").status_code == 404
    read = client.post(f"{url}/read", {"reason": "走访前查阅"}, content_type="application/json").json()
    assert (read["person_name"], read["plan"], [e["note"] for e in read["entries"]]) == ("王秀兰", PLAN, ["入户走访"])
    log_in(client, "judicial_officer")
    closed = client.post(f"{url}/close", closing, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
