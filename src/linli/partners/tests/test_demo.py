"""`demo_generate` on the small test tree: organisations of the four kinds, a station in every
street, evaluations, premises, the demo organiser linked; a second run adds nothing."""

import pytest

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.partners.demo import demo_generate
from linli.partners.domain import credit_code_problem
from linli.partners.models import OrgEvaluation, OrgMember, Premises, SocialOrg, SocialWorker, SocialWorkStation
from linli.partners.selectors import org_ids_for
from linli.testing import make_user

SHOWCASE = "210102001002"


@pytest.fixture
def organiser(tree):
    return make_user("demo_organiser", Role.ORGANISER, tree[SHOWCASE])


def counts():
    return [m.objects.count() for m in (SocialOrg, OrgEvaluation, SocialWorkStation, SocialWorker, Premises, OrgMember)]


def test_demo_generate_is_plausible_and_idempotent(tree, organiser):
    lines = []
    demo_generate(city_path="2101", showcase_path=SHOWCASE, log=lines.append)
    first = counts()
    orgs = SocialOrg.objects.all()
    assert orgs.filter(unit_path=SHOWCASE).count() == 6
    assert orgs.filter(citywide=True, unit_path="2101").count() == 4
    assert {o.kind for o in orgs} == {"life_service", "charity", "relief", "mutual_aid"}
    for org in orgs.filter(status="registered"):
        assert credit_code_problem(org.credit_code) is None
        assert len(org.responsible_phone_masked) == 11 and "****" in org.responsible_phone_masked
        assert org.responsible_phone.startswith("v1.")  # sealed
    streets = set(SocialWorkStation.objects.values_list("street_path", flat=True))
    assert streets == {"210102001", "210102002", "210103001"}
    assert SocialWorker.objects.count() >= 6
    assert OrgEvaluation.objects.filter(social_org__unit_path=SHOWCASE).count() == 6
    assert set(OrgEvaluation.objects.values_list("evaluated_by", flat=True)) == {"市民政局（示例数据）"}
    assert SocialWorkStation.objects.get(street_path=SHOWCASE[:9]).brand
    assert all(e.grade for e in OrgEvaluation.objects.filter(total__gte=50))
    assert Premises.objects.filter(status="in_use").exists()
    own = org_ids_for(actor_for_user(organiser))
    assert len(own) == 1
    assert SocialOrg.objects.get(public_id=next(iter(own))).unit_path == SHOWCASE
    demo_generate(city_path="2101", showcase_path=SHOWCASE, log=lines.append)
    assert counts() == first
