"""`demo_generate` on the small test tree: volunteers in the showcase street and a sample
elsewhere, activities, hours with varied stars, demo_resident linked; idempotent."""

import time

from linli.accounts.domain import Role
from linli.testing import make_user, tree  # noqa: F401
from linli.volunteers.demo import demo_generate
from linli.volunteers.domain import star_level
from linli.volunteers.models import Activity, ServiceHours, SignUp, Volunteer
from linli.volunteers.selectors import approved_minutes_of, volunteer_for_user
from linli.volunteers.signals import hours_approved


def test_demo_generate_is_plausible_and_idempotent(tree):  # noqa: F811
    showcase = "210102001002"
    resident = make_user("demo_resident", Role.RESIDENT, tree[showcase])
    make_user("demo_community_worker", Role.COMMUNITY_WORKER, tree[showcase])
    sent = []
    hours_approved.connect(lambda sender, **kw: sent.append(kw), dispatch_uid="demo-test", weak=False)
    lines: list[str] = []
    started = time.monotonic()
    demo_generate(city_path="2101", showcase_path=showcase, log=lines.append)
    took = time.monotonic() - started
    hours_approved.disconnect(dispatch_uid="demo-test")
    volunteers = Volunteer.objects.count()
    assert volunteers > 100
    assert Volunteer.objects.filter(registered_path__startswith="210102001").count() >= 80
    assert Volunteer.objects.exclude(guardian_name="").exists()  # some minors with a guardian
    assert Activity.objects.filter(status="published").exists() and Activity.objects.filter(status="finished").exists()
    stars = {star_level(m) for m in approved_minutes_of(list(Volunteer.objects.values_list("pk", flat=True))).values()}
    assert {0, 1, 2} <= stars
    me = volunteer_for_user(resident.pk)
    assert me is not None and me.total_minutes > 0
    assert SignUp.objects.filter(
        volunteer__user=resident, state="confirmed", shift__activity__status="published"
    ).exists()
    assert ServiceHours.objects.filter(volunteer__user=resident, state="pending").exists()
    assert len(sent) >= 3  # demo_resident's attendance and approved report went through the signal
    assert took < 15
    counts = (Volunteer.objects.count(), Activity.objects.count(), ServiceHours.objects.count())
    demo_generate(city_path="2101", showcase_path=showcase, log=lines.append)
    assert (Volunteer.objects.count(), Activity.objects.count(), ServiceHours.objects.count()) == counts
