"""The `desk` fixture: the shipped catalogue, two applicants in two districts with resident
accounts, and the extra staff of 沈河区 that the cross-district story needs."""

from datetime import date

import pytest

from linli.accounts.domain import CATALOGUE_EDIT, Role
from linli.accounts.selectors import actor_for_user
from linli.areas.models import Department
from linli.core.actor import Actor
from linli.residents.domain import id_number_make
from linli.residents.services import ResidentInput, household_register, resident_account_link, resident_add
from linli.service_desk.management.commands.import_catalogue import SHIPPED
from linli.service_desk.services import catalogue_import
from linli.testing import make_user

CATALOGUE_ADMIN = Actor.system("tests", permissions=frozenset({CATALOGUE_EDIT}))
ZHANG_ID = id_number_make("210102", date(1948, 3, 4), 11, "male")
QIAN_ID = id_number_make("210103", date(1985, 5, 5), 56, "female")


def _resident(building_code: str, room: str, name: str, id_number: str, birth: date, gender: str, user=None):
    pool = Actor.system("desk-tests", permissions=frozenset({"residents.edit"}), root_path="2101")
    household = household_register(actor=pool, building_code=building_code, room=room, residence_type="registered")
    data = ResidentInput(name=name, gender=gender, birth_date=birth, id_number=id_number, phone="13812345678")
    resident = resident_add(actor=pool, household=household, data=data)
    if user is not None:  # the only head of household without an account in that community
        resident_account_link(user=user, community_path=building_code[:12])
    return resident


@pytest.fixture
def desk(people, tree):
    catalogue_import(actor=CATALOGUE_ADMIN, text=SHIPPED.read_text(encoding="utf-8"))
    qian_user = make_user("qian_resident", Role.RESIDENT, tree["210103001001"])
    extra = {
        "binhe_worker": make_user("binhe_worker", Role.COMMUNITY_WORKER, tree["210103001001"]),
        "binhe_street": make_user("binhe_street", Role.STREET_OFFICER, tree["210103001000"]),
        "shenhe_civil": make_user(
            "shenhe_civil", Role.DEPARTMENT_OFFICER, Department.objects.get(path="210103", kind="civil_affairs")
        ),
        "qian_resident": qian_user,
    }
    zhang = _resident("210102001002001001", "1-101", "张建国", ZHANG_ID, date(1948, 3, 4), "male", people["resident"])
    qian = _resident("210103001001001001", "3-303", "钱海燕", QIAN_ID, date(1985, 5, 5), "female", qian_user)
    users = {**people, **extra}
    return {
        "users": users,
        "actors": {name: actor_for_user(user) for name, user in users.items()} | {"anonymous": Actor.anonymous()},
        "zhang": zhang,
        "qian": qian,
    }


@pytest.fixture(autouse=True)
def _desk_alone():
    """The desk's own tests run with no app above it handling items (welfare registers SQ001–4):
    they test the desk's full workflow; `test_handlers.py` registers a fake handler itself."""
    from linli.service_desk.handlers import desk_handlers_replaced

    with desk_handlers_replaced({}):
        yield
