"""Writes: each refusal names the field and changes nothing; the officer's scope bounds every
write; evaluations once a year; accounts, stations, workers and premises."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from linli.core.crypto import unseal
from linli.core.errors import DomainError
from linli.core.models import AuditEntry
from linli.partners.imports import social_orgs_import
from linli.partners.models import OrgEvaluation, OrgMember, Premises, SocialOrg, SocialWorker, SocialWorkStation
from linli.partners.selectors import org_ids_for
from linli.partners.services import (
    PHONE_CONTEXT,
    OrgInput,
    PremisesInput,
    StationInput,
    WorkerInput,
    evaluation_record,
    member_link,
    member_unlink,
    premises_save,
    premises_transition,
    social_org_deregister,
    social_org_phone_reveal,
    social_org_save,
    station_save,
    worker_save,
)

pytestmark = pytest.mark.django_db
CODE = "91110000600037341L"


def org_input(**changes) -> OrgInput:
    values = {
        "name": "浑河湾助老服务中心",
        "kind": "relief",
        "status": "registered",
        "credit_code": CODE,
        "unit": "210102001003",
        "responsible_name": "李强",
        "responsible_phone": "138 1234 5678",
    }
    return OrgInput(**(values | changes))


def fields(exc) -> set[str]:
    return {f.field for f in exc.value.fields}


def test_save_seals_the_phone_and_audits(actors, tree):
    org = social_org_save(actor=actors["civil_affairs_officer"], data=org_input())
    assert unseal(org.responsible_phone, context=PHONE_CONTEXT) == "13812345678"
    assert org.responsible_phone_masked == "138****5678"
    entry = AuditEntry.objects.get(action="partners.org.create")
    assert entry.object_id == str(org.public_id) and "13812345678" not in str(entry.details)


def test_every_bad_field_is_named_and_nothing_saved(actors, tree):
    with pytest.raises(DomainError) as exc:
        social_org_save(
            actor=actors["civil_affairs_officer"],
            data=org_input(
                name="",
                kind="other",
                credit_code="123",
                unit="210103001001",
                responsible_name="",
                responsible_phone="12",
            ),
        )
    assert fields(exc) == {"name", "kind", "credit_code", "unit", "responsible_name", "responsible_phone"}
    assert not SocialOrg.objects.exists()


def test_filed_has_no_code_and_registered_needs_one(actors, tree):
    officer = actors["civil_affairs_officer"]
    with pytest.raises(DomainError) as exc:
        social_org_save(actor=officer, data=org_input(status="filed"))
    assert fields(exc) == {"credit_code"}
    with pytest.raises(DomainError) as exc:
        social_org_save(actor=officer, data=org_input(credit_code=""))
    assert fields(exc) == {"credit_code"}
    filed = social_org_save(actor=officer, data=org_input(status="filed", credit_code=""))
    assert filed.credit_code == ""


def test_a_credit_code_is_on_the_register_once(actors, tree):
    officer = actors["civil_affairs_officer"]
    social_org_save(actor=officer, data=org_input())
    with pytest.raises(DomainError) as exc:
        social_org_save(actor=officer, data=org_input(name="另一个"))
    assert fields(exc) == {"credit_code"}
    assert SocialOrg.objects.count() == 1


@pytest.mark.parametrize("who", ["anonymous", "resident", "community_worker", "organiser", "street_officer"])
def test_only_the_officer_writes(actors, tree, who):
    with pytest.raises(DomainError) as exc:
        social_org_save(actor=actors[who], data=org_input())
    assert exc.value.status == 403
    assert not SocialOrg.objects.exists()


def test_citywide_needs_the_city(actors, tree, orgs):
    with pytest.raises(DomainError) as exc:
        social_org_save(actor=actors["civil_affairs_officer"], data=org_input(unit="2101", citywide=True))
    assert fields(exc) == {"unit"}
    # a district officer sees the citywide one but does not keep it
    with pytest.raises(DomainError) as exc:
        social_org_deregister(actor=actors["civil_affairs_officer"], public_id=orgs["citywide"].public_id, reason="x")
    assert exc.value.status == 403
    assert SocialOrg.objects.get(pk=orgs["citywide"].pk).active


def test_update_keeps_the_phone_when_blank(actors, tree):
    officer = actors["civil_affairs_officer"]
    org = social_org_save(actor=officer, data=org_input())
    updated = social_org_save(actor=officer, data=org_input(name="改名", responsible_phone=""), public_id=org.public_id)
    assert updated.name == "改名" and updated.responsible_phone_masked == "138****5678"


def test_update_outside_scope_is_404(actors, orgs):
    with pytest.raises(DomainError) as exc:
        social_org_save(
            actor=actors["civil_affairs_officer"],
            data=org_input(unit="210103001001"),
            public_id=orgs["other_district"].public_id,
        )
    assert exc.value.status == 404
    assert SocialOrg.objects.get(pk=orgs["other_district"].pk).name == "滨河志愿服务队"


def test_deregister_needs_a_reason_and_unlinks(actors, orgs):
    officer = actors["civil_affairs_officer"]
    with pytest.raises(DomainError) as exc:
        social_org_deregister(actor=officer, public_id=orgs["own"].public_id, reason="  ")
    assert fields(exc) == {"reason"}
    assert SocialOrg.objects.get(pk=orgs["own"].pk).active
    social_org_deregister(actor=officer, public_id=orgs["own"].public_id, reason="自行解散")
    assert org_ids_for(actors["organiser"]) == frozenset()
    with pytest.raises(DomainError) as exc:
        social_org_deregister(actor=officer, public_id=orgs["own"].public_id, reason="again")
    assert exc.value.status == 409


def test_phone_reveal_needs_a_reason_and_is_audited(actors, tree):
    officer = actors["civil_affairs_officer"]
    org = social_org_save(actor=officer, data=org_input())
    with pytest.raises(DomainError):
        social_org_phone_reveal(actor=officer, public_id=org.public_id, reason="")
    assert social_org_phone_reveal(actor=officer, public_id=org.public_id, reason="核实活动") == "13812345678"
    assert AuditEntry.objects.filter(action="partners.org.phone_reveal", reason="核实活动").count() == 1
    with pytest.raises(DomainError):
        social_org_phone_reveal(actor=actors["community_worker"], public_id=org.public_id, reason="想看")


SCORES = {"basics": "15", "governance": "20", "performance": "28", "reputation": "16"}


def test_evaluation_once_a_year_and_grade(actors, orgs):
    officer = actors["civil_affairs_officer"]
    year = timezone.localdate().year - 1
    evaluation = evaluation_record(actor=officer, public_id=orgs["own"].public_id, year=year, scores=SCORES)
    assert (evaluation.total, evaluation.grade) == (79, "3A")
    with pytest.raises(DomainError) as exc:
        evaluation_record(actor=officer, public_id=orgs["own"].public_id, year=year, scores=SCORES)
    assert exc.value.status == 409
    assert OrgEvaluation.objects.count() == 1
    # an older year does not replace the latest grade
    evaluation_record(
        actor=officer, public_id=orgs["own"].public_id, year=year - 1, scores=SCORES | {"performance": "35"}
    )
    orgs["own"].refresh_from_db()
    assert (orgs["own"].grade, orgs["own"].grade_year) == ("3A", year)


def test_evaluation_refusals_name_the_criterion(actors, orgs):
    officer = actors["civil_affairs_officer"]
    with pytest.raises(DomainError) as exc:
        evaluation_record(
            actor=officer,
            public_id=orgs["own"].public_id,
            year=timezone.localdate().year + 1,
            scores=SCORES | {"basics": "21", "reputation": "abc"},
        )
    assert fields(exc) == {"year", "score_basics", "score_reputation"}
    messages = {f.field: f.message.zh for f in exc.value.fields}
    assert "基础条件" in messages["score_basics"] and "社会评价" in messages["score_reputation"]
    assert not OrgEvaluation.objects.exists()
    with pytest.raises(DomainError) as exc:
        evaluation_record(actor=actors["organiser"], public_id=orgs["own"].public_id, year=2025, scores=SCORES)
    assert exc.value.status == 403


def test_members_link_only_organiser_accounts(actors, orgs, people):
    officer = actors["civil_affairs_officer"]
    with pytest.raises(DomainError) as exc:
        member_link(actor=officer, public_id=orgs["sibling"].public_id, username="community_worker")
    assert fields(exc) == {"username"}
    member_link(actor=officer, public_id=orgs["sibling"].public_id, username="organiser")
    assert org_ids_for(actors["organiser"]) == {orgs["own"].public_id, orgs["sibling"].public_id}
    member_unlink(actor=officer, public_id=orgs["sibling"].public_id, username="organiser")
    assert OrgMember.objects.filter(user=people["organiser"]).count() == 1
    with pytest.raises(DomainError) as exc:
        member_link(
            actor=actors["other_district_admin"], public_id=orgs["other_district"].public_id, username="organiser"
        )
    assert exc.value.status == 403


def test_stations_one_per_street_brand_needs_year_and_reason(actors, tree):
    officer = actors["civil_affairs_officer"]
    with pytest.raises(DomainError) as exc:
        station_save(actor=officer, data=StationInput(street="210102001", name="浑河湾社工站", brand=True))
    assert fields(exc) == {"brand_year", "brand_reason"}
    station = station_save(
        actor=officer,
        data=StationInput(
            street="210102001", name="浑河湾社工站", brand=True, brand_year=2024, brand_reason="省级示范"
        ),
    )
    with pytest.raises(DomainError) as exc:
        station_save(actor=officer, data=StationInput(street="210102001", name="第二个"))
    assert fields(exc) == {"street"}
    with pytest.raises(DomainError) as exc:
        station_save(actor=officer, data=StationInput(street="210103001", name="滨河"))
    assert fields(exc) == {"street"}
    assert SocialWorkStation.objects.count() == 1
    with pytest.raises(DomainError) as exc:
        worker_save(
            actor=officer, station_id=station.public_id, data=WorkerInput(name="赵敏", certificate_level="senior")
        )
    assert fields(exc) == {"certificate_number"}
    worker = worker_save(
        actor=officer,
        station_id=station.public_id,
        data=WorkerInput(name="赵敏", phone="13900001111", certificate_level="social_worker", certificate_number="SG1"),
    )
    assert worker.phone_masked == "139****1111" and worker.phone.startswith("v1.")
    assert SocialWorker.objects.count() == 1


def test_premises_offered_in_use_returned(actors, tree):
    officer = actors["civil_affairs_officer"]
    today = timezone.localdate()
    data = PremisesInput(
        offerer="沈阳地铁集团有限公司",
        address="南京南街1号",
        area_m2="120",
        term_from=today,
        term_to=today - timedelta(days=1),
        unit="210102001",
        state_owned=True,
    )
    with pytest.raises(DomainError) as exc:
        premises_save(actor=officer, data=data)
    assert fields(exc) == {"term_to"}
    data.term_to = today + timedelta(days=3 * 365)
    found = premises_save(actor=officer, data=data)
    with pytest.raises(DomainError) as exc:
        premises_transition(actor=officer, public_id=found.public_id, to="in_use", community="210103001001", use="")
    assert fields(exc) == {"community", "use", "opened_on"}
    premises_transition(
        actor=officer, public_id=found.public_id, to="in_use", community="210102001002", use="老年食堂", opened_on=today
    )
    found.refresh_from_db()
    assert (found.status, found.path, found.community_path) == ("in_use", "210102001002", "210102001002")
    with pytest.raises(DomainError) as exc:
        premises_transition(actor=officer, public_id=found.public_id, to="offered")
    assert exc.value.status == 409
    premises_transition(actor=officer, public_id=found.public_id, to="returned", reason="企业收回")
    assert Premises.objects.get().status == "returned"


def test_import_saves_good_rows_and_returns_every_bad_one(actors, tree):
    sheet = (
        "名称,类别,登记或备案,统一社会信用代码,所在单位代码,全市性,负责人,负责人电话,成立日期\n"
        "水源地邻里互助会,居民互助类,备案,,210102001002,否,王丽,13812345678,2023-05-01\n"
        "错码公益中心,公益慈善类,登记,91110000600037341X,210102001002,否,李强,13812345678,2020-01-01\n"
        "外区组织,生活服务类,备案,,210103001001,否,张伟,13812345678,\n"
        "集贤公益中心,Public welfare and charity,registered,91110000600037341L,210102002001,否,赵敏,024-22345678,2020-13-01\n"  # noqa: E501
        "集贤助残队,救助帮扶类,备案,,210102002001,否,孙杰,02422345678,\n"
    ).encode()
    result = social_orgs_import(actor=actors["civil_affairs_officer"], data=sheet)
    assert result.created == 2
    assert [(p.line, p.column) for p in result.problems] == [
        (3, "统一社会信用代码"),
        (4, "所在单位代码"),
        (5, "成立日期"),
    ]
    assert "校验位" in result.problems[0].message and "check character" in result.problems[0].message
    assert set(SocialOrg.objects.values_list("name", flat=True)) == {"水源地邻里互助会", "集贤助残队"}


def test_import_without_required_columns_is_refused(actors, tree):
    with pytest.raises(DomainError) as exc:
        social_orgs_import(actor=actors["civil_affairs_officer"], data="名称,类别\n甲,居民互助类\n".encode())
    assert "缺少必填列" in exc.value.message.zh
    assert not SocialOrg.objects.exists()


def test_date_of_founding_cannot_be_in_the_future(actors, tree):
    with pytest.raises(DomainError) as exc:
        social_org_save(
            actor=actors["civil_affairs_officer"], data=org_input(founded_on=date.today() + timedelta(days=30))
        )
    assert fields(exc) == {"founded_on"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_evaluations_of_one_year_at_once_one_wins(actors, orgs):
    """Two tabs save the same organisation's evaluation: the row lock makes the second a 409."""
    import threading

    from django.db import connection

    results = []

    def evaluate():
        try:
            evaluation_record(
                actor=actors["civil_affairs_officer"], public_id=orgs["own"].public_id, year=2025, scores=SCORES
            )
            results.append("ok")
        except DomainError as error:
            results.append(error.status)
        finally:
            connection.close()

    threads = [threading.Thread(target=evaluate) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [409, "ok"]
    assert OrgEvaluation.objects.filter(social_org=orgs["own"], year=2025).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_credit_code_saved_twice_at_once_is_refused_once(actors, tree):
    import threading

    from django.db import connection

    results = []

    def save(name):
        try:
            social_org_save(actor=actors["civil_affairs_officer"], data=org_input(name=name))
            results.append("ok")
        except DomainError as error:
            results.append(error.status)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [422, "ok"]
    assert SocialOrg.objects.filter(credit_code=CODE).count() == 1
