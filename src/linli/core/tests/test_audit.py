import pytest
from django.db import DatabaseError, transaction

from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.core.selectors import audit_list
from linli.core.services import audit_record

DB_REFUSAL = DatabaseError  # SQLite: IntegrityError; PostgreSQL: ProgrammingError (RAISE EXCEPTION)


def test_audit_line_records_who_what_where(db):
    actor = Actor(user_id=7, username="zhang", client_address="10.0.0.5")
    entry = audit_record(
        actor=actor,
        action="resident.reveal",
        object_type="resident",
        object_id="abc",
        org_path="210102001002",
        reason="核实低保申请",
    )
    assert (entry.actor_name, entry.client_address, entry.reason) == ("zhang", "10.0.0.5", "核实低保申请")


@pytest.fixture
def any_action(settings):
    """These tests write made-up action codes; the suite's check for named actions is off."""
    settings.LINLI_AUDIT_ACTION_CHECK = ""


def test_audit_log_refuses_update_and_delete_in_the_database(db, any_action):
    entry = audit_record(actor=Actor.system("t"), action="x")
    with pytest.raises(DB_REFUSAL, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="y")
    with pytest.raises(DB_REFUSAL, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "x"


def test_sensitive_values_are_refused_in_details(db, any_action):
    with pytest.raises(ValueError, match="id_number"):
        audit_record(actor=Actor.system("t"), action="x", details={"id_number": "210102199001011234"})
    assert not AuditEntry.objects.exists()


def test_only_auditors_search_and_only_inside_their_scope(db, any_action):
    audit_record(actor=Actor.system("t"), action="in", org_path="210102001002")
    audit_record(actor=Actor.system("t"), action="out", org_path="210103001001")
    audit_record(actor=Actor.system("t"), action="platform")
    district_auditor = Actor(user_id=1, username="a", permissions=frozenset({"audit.search"}), scope_paths=("210102",))
    city_auditor = Actor(
        user_id=2, username="b", permissions=frozenset({"audit.search"}), scope_paths=("2101",), citywide=True
    )
    assert [e.action for e in audit_list(actor=district_auditor)] == ["in"]
    assert {e.action for e in audit_list(actor=city_auditor)} == {"in", "out", "platform"}
    with pytest.raises(DomainError) as denied:
        audit_list(actor=Actor(user_id=3, username="c", scope_paths=("2101",)))
    assert denied.value.status == 403


def test_audit_api_for_auditor_and_refusal_for_others(client, people):
    client.force_login(people["auditor"])
    client.get("/api/v1/me")
    response = client.get("/api/v1/audit", {"action": "posting.add"})
    posted = [name for name in people if name != "no_posting"]  # one posting.add each
    assert response.status_code == 200 and response.json()["count"] == len(posted) == 12
    client.force_login(people["city_admin"])
    denied = client.get("/api/v1/audit")
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
