"""Modifications test support: a clock on a working Monday; in 水源地社区 (210102001002) an elder
living alone (the mother, 86) whose daughter's resident account in 浑河湾社区 is linked to her; a
tekun elder and a young man in the same community; an elder in 浑河湾社区 (the other community's
worker's); a contractor; tiny photos. Items and cap come from the data migration."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

from linli.accounts.domain import RESIDENTS_EDIT, RESIDENTS_VIEW, WELFARE_INTAKE, Role
from linli.accounts.selectors import actor_for_user
from linli.care.models import FamilyLink, Provider
from linli.care.services.modifications import AcceptInput, LineInput, PhotoUpload
from linli.core.actor import Actor
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, care_membership_add, household_register, resident_add
from linli.testing import make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)  # a working Monday
TODAY = NOW.date()
SHUIYUANDI = "210102001002"
HUNHEWAN = "210102001003"
EDITOR = Actor.system(
    "modifications-tests",
    permissions=frozenset({RESIDENTS_VIEW, RESIDENTS_EDIT, WELFARE_INTAKE}),
    root_path="2101",
)
_seq = [500]


def png(size: int = 8, colour=(200, 120, 40)) -> bytes:
    """A tiny PNG made here (no network, no files)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def photo(name: str = "before.png") -> PhotoUpload:
    return PhotoUpload(name, png())


def elder(community: str, room: str, name: str, born: dt.date, *, kinds=(), user=None, gender="female"):
    household = household_register(
        actor=EDITOR, building_code=f"{community}001001", room=room, residence_type="registered"
    )
    _seq[0] += 1
    resident = resident_add(
        actor=EDITOR,
        household=household,
        data=ResidentInput(
            name=name, gender=gender, birth_date=born, id_number=id_number_make("210102", born, _seq[0], gender)
        ),
    )
    for kind in kinds:
        determined = kind in ("dibao", "tekun")  # those follow from social assistance
        care_membership_add(
            actor=EDITOR, resident=resident, kind=kind, started_on=dt.date(2020, 1, 1), determined=determined
        )
    if user is not None:
        type(resident).objects.filter(pk=resident.pk).update(user=user)
    return resident


def build_mods(tree, people) -> dict:
    """What every modifications test needs, keyed by name (the test modules' `mods` fixture)."""
    daughter = make_user("daughter", Role.RESIDENT, tree[HUNHEWAN])
    mother = elder(SHUIYUANDI, "2-201", "刘桂兰", dt.date(1940, 5, 6), kinds=("elderly_alone",))
    tekun = elder(SHUIYUANDI, "3-102", "王德福", dt.date(1948, 2, 3), kinds=("tekun",), gender="male")
    young = elder(SHUIYUANDI, "4-301", "孙小军", dt.date(1990, 1, 1), kinds=("dibao",), gender="male")
    other = elder(HUNHEWAN, "1-101", "赵秀英", dt.date(1945, 7, 7), kinds=("advanced_age",))
    elder(HUNHEWAN, "5-501", "陈晓梅", dt.date(1972, 8, 9), user=daughter)
    FamilyLink.objects.create(
        user=daughter,
        person_ref=mother.public_id,
        path=mother.path,
        relation="女儿",
        how="window",
        linked_at=NOW,
        linked_by_name="test",
    )
    contractor = Provider.objects.create(name="沈阳安居适老化工程有限公司", kind="company", path="210102001")
    city = make_user("city_civil_affairs", Role.CIVIL_AFFAIRS_OFFICER, tree["210100000000"])
    everyone = {**people, "daughter": daughter, "city_officer": city}
    return {
        "mother": mother,
        "tekun": tekun,
        "young": young,
        "other": other,
        "contractor": contractor,
        "users": everyone,
        "actors": {n: actor_for_user(u) for n, u in everyone.items()} | {"anonymous": Actor.anonymous()},
    }


PLAN = [LineInput("grab_bar", "2", "卫生间马桶旁"), LineInput("night_light", "3"), LineInput("care_bed", "1")]
# 2 × 180 + 3 × 60 = 540 subsidised; the bed 2,800 at own cost: total 3,340, subsidy 540, own 2,800


def accept_input(app, *, finished=TODAY) -> AcceptInput:
    lines = list(app.lines.all())
    return AcceptInput(finished, 5, {line.pk: [photo("after.png")] for line in lines}, {}, "")
