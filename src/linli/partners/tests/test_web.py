"""The staff pages: each renders for the civil-affairs officer, forms name the field on refusal,
an organiser sees only their organisation, the workbench section counts what is due."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.accounts.selectors import actor_for_user
from linli.core.workbench import today_sections
from linli.partners.models import OrgEvaluation, OrgMember, Premises, SocialOrg, SocialWorkStation
from linli.testing import log_in

pytestmark = pytest.mark.django_db
VALID_CODE = "91350100M000100Y43"


def test_register_pages_render_for_the_officer(client, orgs):
    log_in(client, "civil_affairs_officer")
    for name in (
        "home",
        "org-new",
        "import",
        "sheet",
        "stations",
        "station-new",
        "premises",
        "premises-new",
        "figures",
    ):
        response = client.get(reverse(f"portal:partners:{name}"))
        assert response.status_code == 200, name
    page = client.get(reverse("portal:partners:org", args=[orgs["own"].public_id]))
    assert "水源地互助会" in page.content.decode()
    assert client.get(reverse("portal:partners:org-evaluate", args=[orgs["own"].public_id])).status_code == 200
    assert client.get(reverse("portal:partners:template"))["Content-Type"].startswith("application/vnd.openxml")
    export = client.get(reverse("portal:partners:home") + "?format=xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_register_an_organisation_refuses_a_bad_code_naming_the_field(client, people):
    log_in(client, "civil_affairs_officer")
    form = {
        "name": "浑河湾公益服务中心",
        "kind": "charity",
        "status": "registered",
        "credit_code": "91350100M000100Y44",
        "unit": "210102001003",
        "responsible_name": "李强",
        "responsible_phone": "13812345678",
    }
    refused = client.post(reverse("portal:partners:org-new"), form)
    assert refused.status_code == 200
    assert "校验位" in refused.content.decode()
    assert not SocialOrg.objects.exists()
    saved = client.post(reverse("portal:partners:org-new"), form | {"credit_code": VALID_CODE.lower()})
    org = SocialOrg.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse("portal:partners:org", args=[org.public_id])
    assert org.credit_code == VALID_CODE
    assert org.responsible_phone_masked == "138****5678" and "13812345678" not in org.responsible_phone


def test_evaluate_out_of_range_names_the_criterion_then_grades(client, orgs):
    log_in(client, "civil_affairs_officer")
    url = reverse("portal:partners:org-evaluate", args=[orgs["own"].public_id])
    year = timezone.localdate().year
    scores = {"score_basics": "18", "score_governance": "30", "score_performance": "33", "score_reputation": "19"}
    refused = client.post(url, {"year": year, **scores})
    assert "内部治理" in refused.content.decode() and "0到25" in refused.content.decode()
    assert not OrgEvaluation.objects.exists()
    client.post(url, {"year": year, **scores, "score_governance": "23"})
    evaluation = OrgEvaluation.objects.get()
    assert (evaluation.total, evaluation.grade) == (93, "5A")
    orgs["own"].refresh_from_db()
    assert (orgs["own"].grade, orgs["own"].grade_year) == ("5A", year)


def test_deregister_asks_for_a_reason_and_a_confirmation(client, orgs):
    log_in(client, "civil_affairs_officer")
    url = reverse("portal:partners:org-deregister", args=[orgs["own"].public_id])
    client.post(url, {"reason": "长期不开展活动"})
    assert SocialOrg.objects.get(pk=orgs["own"].pk).active
    client.post(url, {"reason": "长期不开展活动", "confirm": "on"})
    org = SocialOrg.objects.get(pk=orgs["own"].pk)
    assert not org.active and org.deregistration_reason == "长期不开展活动"
    assert not OrgMember.objects.filter(social_org=org).exists()


def test_organiser_goes_to_their_organisation_and_sees_no_other(client, orgs):
    log_in(client, "organiser")
    home = client.get(reverse("portal:partners:home"))
    assert home.status_code == 302 and str(orgs["own"].public_id) in home["Location"]
    page = client.get(home["Location"]).content.decode()
    assert "水源地互助会" in page and "Evaluate" not in page and "评估</a>" not in page
    assert client.get(reverse("portal:partners:org", args=[orgs["sibling"].public_id])).status_code == 404
    assert client.get(reverse("portal:partners:org-new")).status_code == 404


@pytest.mark.parametrize("who", ["resident", "other_community_worker"])
def test_others_get_404_for_an_organisation_outside_them(client, orgs, who):
    log_in(client, who)
    assert client.get(reverse("portal:partners:org", args=[orgs["own"].public_id])).status_code == 404


def test_register_list_query_count_is_pinned(client, orgs, django_assert_max_num_queries):
    for n in range(30):
        SocialOrg.objects.create(
            name=f"组织{n}", kind="charity", status="filed", responsible_name="王", unit_path="210102001002"
        )
    log_in(client, "civil_affairs_officer")
    client.get(reverse("portal:partners:home"))  # warm the session and memos
    with django_assert_max_num_queries(14):
        response = client.get(reverse("portal:partners:home"))
    assert response.status_code == 200 and "组织29" in response.content.decode()


def test_workbench_counts_what_the_officer_has_to_do(people, orgs):
    today = timezone.localdate()
    SocialOrg.objects.filter(pk=orgs["sibling"].pk).update(filed_on=today - timedelta(days=400))
    Premises.objects.create(
        offerer="沈阳地铁集团有限公司",
        address="南京南街1号",
        area_m2=100,
        term_from=date(2024, 1, 1),
        term_to=today + timedelta(days=30),
        path="210102001002",
    )
    SocialWorkStation.objects.create(street_path="210102001", name="浑河湾街道社工站")
    sections = today_sections(actor=actor_for_user(people["civil_affairs_officer"]), today=today)
    section = next(s for s in sections if s.key == "partners")
    counts = {c.key: c.count for c in section.counts}
    assert counts == {"partners.unevaluated": 2, "partners.filed_overdue": 1, "partners.premises_ending": 1}
    assert not [
        s for s in today_sections(actor=actor_for_user(people["community_worker"]), today=today) if s.key == "partners"
    ]


def test_stations_and_premises_pages_query_counts_are_pinned(client, orgs, django_assert_max_num_queries):
    for n in range(20):
        station = SocialWorkStation.objects.create(street_path=f"210102{n:03d}", name=f"站{n}")
        Premises.objects.create(
            offerer=f"企业{n}",
            address="一号",
            area_m2=50,
            term_from=date(2026, 1, 1),
            term_to=date(2027, 1, 1),
            path="210102001002",
        )
        station.workers.create(name="赵敏", certificate_level="assistant", certificate_number="ZS1")
    log_in(client, "civil_affairs_officer")
    client.get(reverse("portal:partners:stations"))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("portal:partners:stations")).content.decode()
    assert "站19" in page
    client.get(reverse("portal:partners:premises"))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("portal:partners:premises")).content.decode()
    assert "企业19" in page


def test_import_page_lists_bad_rows(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    log_in(client, "civil_affairs_officer")
    data = (
        "名称,类别,登记或备案,所在单位代码,负责人,负责人电话\n"
        "甲队,居民互助类,备案,210102001002,王丽,13812345678\n"
        "乙队,未知类,备案,210102001002,王丽,13812345678\n"
    )
    page = client.post(
        reverse("portal:partners:import"), {"file": SimpleUploadedFile("orgs.csv", data.encode(), "text/csv")}
    )
    html = page.content.decode()
    assert 'id="import-result"' in html and '<td class="num">3</td>' in html and "类别" in html
    assert list(SocialOrg.objects.values_list("name", flat=True)) == ["甲队"]


def test_pages_in_english(client, orgs):
    log_in(client, "civil_affairs_officer")
    headers = {"Accept-Language": "en"}
    sheet = client.get(reverse("portal:partners:sheet"), headers=headers).content.decode()
    assert "Community social organisation yearly evaluation" in sheet and "Internal governance" in sheet
    register = client.get(reverse("portal:partners:home"), headers=headers).content.decode()
    assert "Residents&#x27; mutual aid" in register or "Residents' mutual aid" in register
    assert "Filed with the street or community" in register


def test_phone_revealed_with_a_reason_on_that_answer_only(client, people):
    from linli.core.models import AuditEntry

    log_in(client, "civil_affairs_officer")
    form = {
        "name": "集贤助老队",
        "kind": "relief",
        "status": "filed",
        "unit": "210102002001",
        "responsible_name": "孙杰",
        "responsible_phone": "13700001111",
    }
    client.post(reverse("portal:partners:org-new"), form)
    org = SocialOrg.objects.get()
    url = reverse("portal:partners:org-phone", args=[org.public_id])
    refused = client.post(url, {"reason": ""}).content.decode()
    assert "13700001111" not in refused and "137****1111" in refused
    shown = client.post(url, {"reason": "核实活动情况"}).content.decode()
    assert "13700001111" in shown
    assert AuditEntry.objects.filter(action="partners.org.phone_reveal", reason="核实活动情况").count() == 1
    again = client.get(reverse("portal:partners:org", args=[org.public_id])).content.decode()
    assert "13700001111" not in again
