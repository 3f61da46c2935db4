"""The demo city: real divisions, synthetic grids, buildings and residents, one account per role.

Every step is idempotent, so `linli demo` can be run again and reuses what is there.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from linli.accounts.domain import Role, permissions_for, second_factor_required
from linli.accounts.models import User
from linli.accounts.services import demo_second_factor_ensure, posting_add
from linli.areas.management.commands.import_divisions import SHIPPED
from linli.areas.models import Department, Grid, OrgUnit
from linli.areas.services import demo_layout_generate, demo_positions_generate, departments_ensure, divisions_import
from linli.care.demo import demo_generate as demo_care_generate
from linli.charity.demo import demo_generate as demo_charity_generate
from linli.consultation.demo import demo_generate as demo_consultation_generate
from linli.consultation.demo_village import demo_village_path
from linli.core.actor import Actor
from linli.facilities.demo import demo_analysis_run, demo_facilities_generate, demo_network_generate
from linli.grid_events.demo import demo_events_generate
from linli.mediation.demo import demo_generate as demo_mediation_generate
from linli.partners.demo import demo_generate as demo_partners_generate
from linli.residents.selectors import applicant_for_user, applicant_sample
from linli.residents.services import demo_activity_generate, demo_population_generate, resident_account_link
from linli.service_desk.demo import DemoStaff, demo_cases_generate, demo_windows_generate
from linli.service_desk.management.commands.import_catalogue import SHIPPED as CATALOGUE
from linli.service_desk.selectors import any_case, item_list
from linli.service_desk.services import catalogue_import, desk_figures_refresh
from linli.timebank.demo import demo_generate as demo_timebank_generate
from linli.ventures.demo import demo_generate as demo_ventures_generate
from linli.volunteers.demo import demo_generate as demo_volunteers_generate
from linli.welfare.demo import demo_generate as demo_welfare_generate

DEMO = Actor.system("demo")


@dataclass
class DemoAccount:
    username: str
    password: str
    role: str
    place: str


def demo_city_prepare(*, residents: int, log=print) -> None:
    if not OrgUnit.objects.exists():
        result = divisions_import(actor=DEMO, text=SHIPPED.read_text(encoding="utf-8"), source=SHIPPED.name)
        log(f"区划 divisions: {result.created}")
    departments_ensure(actor=DEMO)
    grids, buildings = demo_layout_generate(actor=DEMO)
    if grids:
        log(f"网格 grids: {grids}, 楼院 buildings: {buildings}")
    if placed := demo_positions_generate(actor=DEMO):
        log(f"位置 positions (approximate, for demo maps): {placed}")
    added = demo_population_generate(
        actor=Actor.system("demo", root_path=_city().path), residents=residents, focus_path=_showcase_community().path
    )
    if added:
        log(f"居民 residents: +{added}")


def _city() -> OrgUnit:
    return OrgUnit.objects.get(kind="city")


def _showcase_community() -> OrgUnit:
    """The first community with grids: the demo city is prepared before the accounts."""
    return OrgUnit.objects.filter(kind="community", grids__isnull=False).order_by("path").earliest("path")


def _parent(unit: OrgUnit) -> OrgUnit:
    if unit.parent is None:
        raise RuntimeError(f"{unit.path} has no parent: the demo needs a whole city")
    return unit.parent


def _showcase() -> dict[str, OrgUnit | Grid | Department]:
    """The places the demo accounts are posted at: the first community of the first district."""
    community = _showcase_community()
    street = _parent(community)
    district = _parent(street)
    return {
        Role.RESIDENT: community,
        Role.GRID_WORKER: Grid.objects.filter(community=community).order_by("path").earliest("path"),
        Role.COMMUNITY_WORKER: community,
        Role.STREET_OFFICER: street,
        Role.DEPARTMENT_OFFICER: Department.objects.get(org_unit=district, kind="civil_affairs"),
        Role.DISTRICT_ADMIN: district,
        Role.CITY_ADMIN: _city(),
        Role.AUDITOR: _city(),
        Role.OPERATOR: _city(),
        Role.PLANNER: _city(),
        Role.CIVIL_AFFAIRS_OFFICER: district,
        Role.ORGANISER: community,
        Role.CARE_PROVIDER: street,
        Role.CARER: street,
        Role.MEDIATOR: community,
        Role.JUDICIAL_OFFICER: street,
        Role.POLICE_OFFICER: Department.objects.get(org_unit=district, kind="police"),
        Role.REASONER: community,
    }


def _demo_village() -> OrgUnit | None:
    path = demo_village_path(_city().path, _showcase_community().path)
    return OrgUnit.objects.filter(path=path).first() if path else None


@transaction.atomic
def demo_accounts_ensure(*, data_dir: Path) -> list[DemoAccount]:
    """One account per role; passwords are made once and kept in the data folder (mode 600)."""
    secrets_file = data_dir / "demo-accounts.json"
    known = json.loads(secrets_file.read_text()) if secrets_file.exists() else {}
    accounts = []
    places = [(f"demo_{role}", role, place) for role, place in _showcase().items()]
    places.append(("demo_window_elsewhere", Role.COMMUNITY_WORKER, _window_elsewhere()))
    # the city's civil-affairs bureau sets social assistance's amounts (a city posting)
    places.append(("demo_civil_affairs_city", Role.CIVIL_AFFAIRS_OFFICER, _city()))
    places += [(username, Role.DEPARTMENT_OFFICER, department) for username, department in _grid_officers().items()]
    # the village procedure: the demo village's committee and the town that reviews its matters
    if village := _demo_village():
        places.append(("demo_village_worker", Role.COMMUNITY_WORKER, village))
        places.append(("demo_town_officer", Role.STREET_OFFICER, _parent(village)))
    for username, role, place in places:
        password = known.get(username) or _demo_password()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, password=password, display_name=_display(role, place))
            posting_add(actor=DEMO, user=user, role=role, place=place)
        elif username not in known:
            user.set_password(password)
            user.save(update_fields=["password"])
        if role == Role.RESIDENT:
            resident_account_link(user=user, community_path=place.path)
        if second_factor_required(permissions_for({role})):
            # enrolled with the public demo key: the log-in's second-factor page shows the code
            demo_second_factor_ensure(user=user)
        known[username] = password
        accounts.append(DemoAccount(username, password, str(Role(role).label), str(place)))
    secrets_file.write_text(json.dumps(known, ensure_ascii=False, indent=1))
    demo_activity_generate(visitor_id=User.objects.get(username=f"demo_{Role.COMMUNITY_WORKER}").pk)
    os.chmod(secrets_file, 0o600)
    return accounts


def demo_desk_prepare(*, cases: int = 1500, log=print) -> None:
    """The catalogue and a spread of cases in every state, some for the demo accounts' places."""
    if not item_list().exists():
        result = catalogue_import(
            actor=Actor.system("demo", permissions=frozenset({"desk.catalogue_edit"})),
            text=CATALOGUE.read_text(encoding="utf-8"),
        )
        log(f"服务事项 service items: {result.created}")
    if any_case():
        return
    places = _showcase()
    users = {role: User.objects.get(username=f"demo_{role}") for role in places}
    staff = DemoStaff(
        by_path={
            places[Role.COMMUNITY_WORKER].path: (
                users[Role.COMMUNITY_WORKER].pk,
                users[Role.COMMUNITY_WORKER].display_name,
            ),
            places[Role.STREET_OFFICER].path: (users[Role.STREET_OFFICER].pk, users[Role.STREET_OFFICER].display_name),
            f"dept:{places[Role.DEPARTMENT_OFFICER].pk}": (
                users[Role.DEPARTMENT_OFFICER].pk,
                users[Role.DEPARTMENT_OFFICER].display_name,
            ),
        }
    )
    community = places[Role.COMMUNITY_WORKER]
    applicants = applicant_sample(n=3000, seed=20261125, focus_path=community.path, focus_share=0.3)
    desks = list(OrgUnit.objects.filter(kind="community").values_list("path", flat=True)[::97]) + [community.path] * 5
    written = demo_cases_generate(applicants=applicants, count=cases, staff=staff, other_desks=desks)
    me = applicant_for_user(users[Role.RESIDENT].pk)
    if me:  # the demo resident's own applications, in several states
        written += demo_cases_generate(applicants=[me], count=8, staff=staff, seed=7, days_back=60)
    log(f"办件 service cases: {written}")
    log(f"服务窗口 service windows: {demo_windows_generate(actor=DEMO)}")
    desk_figures_refresh(full=True)


def demo_grid_prepare(*, events: int = 2000, log=print) -> None:
    """A year of grid events across the city, a share of them in the demo accounts' community,
    with the demo accounts acting where they stand (the grid worker reports and verifies in
    their grid, the community worker registers, the officers answer for their departments)."""
    places = _showcase()
    users = {role: User.objects.get(username=f"demo_{role}") for role in places}

    def who(user: User) -> tuple[int, str]:
        return user.pk, user.display_name

    community = places[Role.COMMUNITY_WORKER]
    staff = {
        places[Role.GRID_WORKER].path: who(users[Role.GRID_WORKER]),
        community.path: who(users[Role.COMMUNITY_WORKER]),
        places[Role.STREET_OFFICER].path: who(users[Role.STREET_OFFICER]),
        places[Role.DISTRICT_ADMIN].path: who(users[Role.DISTRICT_ADMIN]),
        f"dept:{places[Role.DEPARTMENT_OFFICER].pk}": who(users[Role.DEPARTMENT_OFFICER]),
        f"resident:{community.path}": who(users[Role.RESIDENT]),
    }
    for username, department in _grid_officers().items():
        staff[f"dept:{department.pk}"] = who(User.objects.get(username=username))
    if written := demo_events_generate(count=events, staff=staff, focus_path=community.path):
        log(f"网格事件 grid events: {written}")


def _grid_officers() -> dict[str, Department]:
    """Officers of the showcase district's departments that receive most grid events (the demo
    department officer stands at civil affairs, which decides service cases)."""
    district = _parent(_parent(_showcase_community()))
    return {
        "demo_urban_officer": Department.objects.get(org_unit=district, kind="urban_management"),
        "demo_housing_officer": Department.objects.get(org_unit=district, kind="housing"),
    }


def _window_elsewhere() -> OrgUnit:
    """A community window in another district, to show 全市通办: any window serves anyone."""
    home_district = _showcase_community().path[:6]
    return (
        OrgUnit.objects.filter(kind="community", grids__isnull=False)
        .exclude(path__startswith=home_district)
        .earliest("path")
    )


def _demo_password() -> str:
    """12 URL-safe characters that never start with '-', so they paste cleanly into a shell."""
    while (password := secrets.token_urlsafe(9)).startswith("-"):
        pass
    return password


def _display(role: str, place) -> str:
    return f"{place}·{Role(role).label}"


def demo_facilities_prepare(*, log=print) -> None:
    """A synthetic street network, the registry and one finished city-wide analysis."""
    city = _city()
    if network := demo_network_generate(actor=DEMO, city_path=city.path):
        log(f"路网 road network (synthetic): {network.nodes} nodes, {network.edges} edges")
    if added := demo_facilities_generate(city_path=city.path):
        log(f"设施 facilities: {added}")
    if run := demo_analysis_run(city_path=city.path):
        log(f"覆盖分析 coverage analysis: {run.status} in {run.figures.get('seconds')} s")


def demo_linkage_prepare(*, log=print) -> None:
    """Five-party linkage: organisations and stations first (the demo organiser speaks for one),
    then volunteers and their hours, the time bank, venture calls and charity."""
    city_path, showcase_path = _city().path, _showcase_community().path
    for generate in (
        demo_partners_generate,
        demo_volunteers_generate,
        demo_timebank_generate,
        demo_ventures_generate,
        demo_charity_generate,
    ):
        generate(city_path=city_path, showcase_path=showcase_path, log=log)


def demo_welfare_prepare(*, log=print) -> None:
    """Social assistance: a plausible roll (a few per cent of households in the classes),
    applications at each step, reviews due and a frozen payroll."""
    demo_welfare_generate(city_path=_city().path, showcase_path=_showcase_community().path, log=log)


def demo_mediation_prepare(*, log=print) -> None:
    """Safe community: the mediator pool (with a few gaps), a year of disputes of every kind and
    state, monthly screenings, 慧评理 cases, safety records and four-zero statuses, support cases."""
    demo_mediation_generate(city_path=_city().path, showcase_path=_showcase_community().path, log=log)


def demo_consultation_prepare(*, log=print) -> None:
    """Deliberation: topics and consultations in every state across communities, votes, decisions
    being carried out, village major matters at every step, conventions, the public boards and the
    district burden lists."""
    demo_consultation_generate(city_path=_city().path, showcase_path=_showcase_community().path, log=log)


def demo_care_prepare(*, log=print) -> None:
    """Care services: the elderly-care list and assessments, providers (the demo provider and
    carer accounts speak for one), three months of orders and visits, family beds and statements,
    home modifications in every state, children's lists with visits, classes with enrolments."""
    demo_care_generate(city_path=_city().path, showcase_path=_showcase_community().path, log=log)
