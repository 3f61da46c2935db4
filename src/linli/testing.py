"""Shared fixtures: a small real-shaped org tree and one actor per permission case.

The tree (codes follow the NBS structure; names are Shenyang's):
  沈阳市 2101
    和平区 210102
      浑河湾街道 210102001 → 水源地社区 210102001002 (grids 001, 002), 浑河湾社区 210102001003
      集贤街道 210102002 → 集贤社区 210102002001
    沈河区 210103
      滨河街道 210103001 → 滨河社区 210103001001
"""

from __future__ import annotations

import threading

import pytest

from linli.accounts.domain import Role
from linli.accounts.selectors import actor_for_user
from linli.accounts.services import posting_add, user_create
from linli.areas.services import departments_ensure, divisions_import
from linli.core.actor import Actor

HEADER = "code,name,level,unit_type,parent_code,district_code,district_name\n"
SMALL_TREE = (
    HEADER
    + "\n".join(
        [
            "210100000000,沈阳市,city,prefecture_city,210000000000,,",
            "210102000000,和平区,district,district,210100000000,210102,和平区",
            "210103000000,沈河区,district,district,210100000000,210103,沈河区",
            "210102001000,浑河湾街道,street,street,210102000000,210102,和平区",
            "210102002000,集贤街道,street,street,210102000000,210102,和平区",
            "210103001000,滨河街道,street,street,210103000000,210103,沈河区",
            "210102001002,水源地社区,community,community,210102001000,210102,和平区",
            "210102001003,浑河湾社区,community,community,210102001000,210102,和平区",
            "210102002001,集贤社区,community,community,210102002000,210102,和平区",
            "210103001001,滨河社区,community,community,210103001000,210103,沈河区",
            "210103001201,前进村委会,community,village,210103001000,210103,沈河区",
        ]
    )
    + "\n"
)

TEST_PASSWORD = "correct-horse-battery"  # noqa: S105 (test accounts only)
SYSTEM = Actor.system("tests", permissions=frozenset({"audit.search", "divisions.import"}), root_path="2101")


@pytest.fixture
def tree(db):
    """The small tree, its grids and buildings, and the city's and districts' departments."""
    return small_tree()


def small_tree() -> dict:
    """The `tree` fixture's rows, for a fixture of a wider scope (the API fuzzing builds it once)."""
    from linli.areas.models import Building, Grid, OrgUnit

    divisions_import(actor=SYSTEM, text=SMALL_TREE, source="fixture")
    departments_ensure(actor=SYSTEM)
    for community in OrgUnit.objects.filter(kind__in=["community", "village"]):
        for n in (1, 2):
            grid = Grid.objects.create(
                code=f"{community.path}{n:03d}", path=f"{community.path}{n:03d}", name=f"第{n}网格", community=community
            )
            Building.objects.create(code=f"{grid.path}001", path=f"{grid.path}001", name="1号楼", grid=grid)
    return {unit.code: unit for unit in OrgUnit.objects.all()}


def log_in(client, username: str) -> None:
    """Log a test client in as one of the test accounts. `client.login` cannot be used: the
    log-in throttle (django-axes) needs the request that a real log-in form carries."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))


def make_user(username: str, role: str | None, place) -> object:
    user = user_create(username=username, password=TEST_PASSWORD, display_name=username)
    if role:
        posting_add(actor=SYSTEM, user=user, role=role, place=place)
    return user


@pytest.fixture
def people(tree):
    """One account per permission case, keyed by the name the tests use."""
    return small_people(tree)


def small_people(tree: dict) -> dict:
    """The `people` fixture's accounts, for a fixture of a wider scope."""
    from linli.areas.models import Department, Grid

    shuiyuandi = tree["210102001002"]
    return {
        "grid_worker": make_user("grid_worker", Role.GRID_WORKER, Grid.objects.get(path="210102001002001")),
        "community_worker": make_user("community_worker", Role.COMMUNITY_WORKER, shuiyuandi),
        "other_community_worker": make_user("other_community_worker", Role.COMMUNITY_WORKER, tree["210102001003"]),
        "street_officer": make_user("street_officer", Role.STREET_OFFICER, tree["210102001000"]),
        "department_officer": make_user(
            "department_officer", Role.DEPARTMENT_OFFICER, Department.objects.get(path="210102", kind="civil_affairs")
        ),
        "district_admin": make_user("district_admin", Role.DISTRICT_ADMIN, tree["210102000000"]),
        "other_district_admin": make_user("other_district_admin", Role.DISTRICT_ADMIN, tree["210103000000"]),
        "city_admin": make_user("city_admin", Role.CITY_ADMIN, tree["210100000000"]),
        "auditor": make_user("auditor", Role.AUDITOR, tree["210100000000"]),
        "resident": make_user("resident", Role.RESIDENT, shuiyuandi),
        # five-party linkage: the district's civil-affairs officer; an organisation's account
        # posted in the community (which organisation it speaks for is kept by `partners`)
        "civil_affairs_officer": make_user("civil_affairs_officer", Role.CIVIL_AFFAIRS_OFFICER, tree["210102000000"]),
        "organiser": make_user("organiser", Role.ORGANISER, shuiyuandi),
        "no_posting": make_user("no_posting", None, None),
    }


@pytest.fixture
def actors(people):
    return {name: actor_for_user(user) for name, user in people.items()} | {"anonymous": Actor.anonymous()}


@pytest.fixture(autouse=True)
def _fresh_memos():
    """Each test builds its own tree and catalogue: no memoised row may outlive it."""
    from linli.core.memo import forget_all

    forget_all()
    yield
    forget_all()


def pytest_runtest_setup(item):
    """`@pytest.mark.postgres` tests need real row locks and concurrent connections; on SQLite
    (one writer, an in-memory test database) they are skipped with the reason, and CI runs the
    suite on PostgreSQL too."""
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL (run with LINLI_DATABASE_URL=postgres://…)")


def empty_append_only_tables() -> None:
    """A transactional test commits, so its rows are flushed afterwards; SQLite runs the flush as
    DELETEs, which the append-only triggers (audit log, timelines) refuse. Empty those tables
    with their triggers lifted for a moment. (PostgreSQL's flush is a TRUNCATE.)"""
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%append-only%'"
        )
        triggers = cursor.fetchall()
        for name, _, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        for table in {table for _, table, _ in triggers}:
            cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 (table names from sqlite_master)
        for _, _, sql in triggers:
            cursor.execute(sql)


def run_at_once(count: int, work, *, refusal=lambda error: error.code) -> list[str]:
    """Run `work(i)` for i in range(count), each in its own thread with its own database
    connection, all released at the same moment (concurrency tests, PostgreSQL). The outcomes in
    the order they finished: "ok", or `refusal(error)` for a refused one (by default its code)."""
    from django.db import connection

    from linli.core.errors import DomainError

    barrier = threading.Barrier(count)
    outcomes: list[str] = []

    def one(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            work(i)
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(refusal(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
