"""Roles and what each may do. Permissions are plain strings checked through the Actor, so the
shared kernel never needs to know the role names."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    GRID_WORKER = "grid_worker", _("Grid worker")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    STREET_OFFICER = "street_officer", _("Street officer")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    CITY_ADMIN = "city_admin", _("City administrator")
    AUDITOR = "auditor", _("Auditor")
    OPERATOR = "operator", _("Operator")
    PLANNER = "planner", _("Facility planner")
    # the civil-affairs bureau's officer for five-party linkage (五社联动): the register of community
    # social organisations, social-work stations, venture calls and purchased services
    CIVIL_AFFAIRS_OFFICER = "civil_affairs_officer", _("Civil-affairs officer")
    # the account of a social organisation (组织负责人): its own activities, applications and offers;
    # which organisation it speaks for is kept by `partners` (OrgMember), not here
    ORGANISER = "organiser", _("Organisation organiser")
    # a care provider's dispatcher (home-care company, station, social organisation): receives its
    # orders and assigns carers; which provider the account speaks for is kept by `care`
    CARE_PROVIDER = "care_provider", _("Care provider")
    # a provider's carer (护理员): sees only the orders assigned to them, checks in and out at the home
    CARER = "carer", _("Carer")
    # safe community (安民, issue 17): a people's mediator (community committee member, a street's
    # full-time mediator or an expert of the pool); which disputes they hold is kept by `mediation`
    MEDIATOR = "mediator", _("Mediator")
    # the street's judicial office (司法所) or the district's justice bureau: mediation committees,
    # the mediator pool, community corrections, drug rehabilitation and released-prisoner support
    JUDICIAL_OFFICER = "judicial_officer", _("Judicial officer")
    # the community police officer (一社区一警): a police department posting; `mediation` keeps the
    # communities they serve
    POLICE_OFFICER = "police_officer", _("Community police officer")
    # a trusted resident who helps reason out small disputes online (评理员, 慧评理)
    REASONER = "reasoner", _("Reasoner")


# roles held by residents: no view of other people's data, the residents' pages and idle limit
RESIDENT_ROLES = frozenset({Role.RESIDENT, Role.REASONER})
STAFF_ROLES = frozenset(Role) - RESIDENT_ROLES

# Where a posting of each role may be held: an org unit of these kinds, a grid or a department.
POSTING_TARGET = {
    Role.RESIDENT: "org_unit",
    Role.GRID_WORKER: "grid",
    Role.COMMUNITY_WORKER: "org_unit",
    Role.STREET_OFFICER: "org_unit",
    Role.DEPARTMENT_OFFICER: "department",
    Role.DISTRICT_ADMIN: "org_unit",
    Role.CITY_ADMIN: "org_unit",
    Role.AUDITOR: "org_unit",
    Role.OPERATOR: "org_unit",
    Role.PLANNER: "org_unit",
    Role.CIVIL_AFFAIRS_OFFICER: "org_unit",
    Role.ORGANISER: "org_unit",
    Role.CARE_PROVIDER: "org_unit",
    Role.CARER: "org_unit",
    Role.MEDIATOR: "org_unit",
    Role.JUDICIAL_OFFICER: "org_unit",
    Role.POLICE_OFFICER: "department",
    Role.REASONER: "org_unit",
}
POSTING_UNIT_KINDS = {
    Role.RESIDENT: {"community", "village"},
    Role.COMMUNITY_WORKER: {"community", "village"},
    Role.STREET_OFFICER: {"street"},
    Role.DISTRICT_ADMIN: {"district"},
    Role.CITY_ADMIN: {"city"},
    Role.AUDITOR: {"city", "district"},
    Role.OPERATOR: {"city"},
    Role.PLANNER: {"city", "district"},
    Role.CIVIL_AFFAIRS_OFFICER: {"city", "district", "street"},
    # posted where the organisation is based; a citywide organisation's organiser at the city
    Role.ORGANISER: {"city", "district", "street", "community", "village"},
    # posted where the provider is based, like an organiser
    Role.CARE_PROVIDER: {"city", "district", "street", "community", "village"},
    Role.CARER: {"city", "district", "street", "community", "village"},
    # a community committee's mediator, a street's full-time mediator, an expert of a district's pool
    Role.MEDIATOR: {"city", "district", "street", "community", "village"},
    Role.JUDICIAL_OFFICER: {"city", "district", "street"},
    Role.REASONER: {"community", "village"},
}

ORGTREE_VIEW = "orgtree.view"
AUDIT_SEARCH = "audit.search"
OPS_VIEW = "ops.view"
ACCOUNTS_MANAGE = "accounts.manage"
DIVISIONS_IMPORT = "divisions.import"
RESIDENTS_VIEW = "residents.view"
RESIDENTS_EDIT = "residents.edit"
RESIDENTS_VISIT = "residents.visit"
RESIDENTS_IMPORT = "residents.import"
RESIDENTS_EXPORT = "residents.export"
# May reveal some sealed field of a resident; which fields, per role, is the residents app's
# reveal-rights table (minimum necessity). Here only so the log-in can ask for a second factor.
RESIDENTS_REVEAL = "residents.reveal"
# Exact lookup of an applicant anywhere in the city by ID number, for the service desk (全市通办).
RESIDENTS_APPLICANT_LOOKUP = "residents.applicant_lookup"
DESK_VIEW = "desk.view"  # see the cases of one's scope (staff)
DESK_APPLY = "desk.apply"
DESK_ACCEPT = "desk.accept"
DESK_DECIDE = "desk.decide"
DESK_SUPERVISE = "desk.supervise"
CATALOGUE_EDIT = "desk.catalogue_edit"
CALENDAR_EDIT = "desk.calendar_edit"

FRONT_DESK = frozenset({DESK_VIEW, DESK_ACCEPT, RESIDENTS_APPLICANT_LOOKUP})
GRID_VIEW = "grid.view"  # see the grid events of one's scope (staff)
GRID_REPORT = "grid.report"  # report a problem (grid worker, resident 随手拍)
GRID_REGISTER = "grid.register"  # register, reject, merge, handle in the community (立案)
GRID_DISPATCH = "grid.dispatch"  # send to a department (派遣)
GRID_WHISTLE = "grid.whistle"  # summon departments (吹哨)
GRID_HANDLE = "grid.handle"  # accept, return, report handling (department or self-handling community)
GRID_VERIFY = "grid.verify"  # check the fix on site (核查)
GRID_SUPERVISE = "grid.supervise"  # supervision notices (督办), rankings
GRID_CATEGORY_EDIT = "grid.category_edit"  # the city's categories, their department kinds and limits
GRID_ROUTE_EDIT = "grid.route_edit"  # a district names its own department for a category
FACILITY_VIEW = "facility.view"  # the registry, compliance, coverage and runs of one's scope
FACILITY_EDIT = "facility.edit"  # keep the registry (create, edit, import)
FACILITY_ANALYSE = "facility.analyse"  # start analysis runs (coverage, suggested sites)
FACILITY_KIND_EDIT = "facility.kind_edit"  # the city's facility kinds and life-circle distances
FACILITY_PLANNING = frozenset({FACILITY_VIEW, FACILITY_EDIT, FACILITY_ANALYSE})
# five-party linkage (五社联动): volunteers, the time bank, partners, ventures, charity
VOLUNTEER_JOIN = "volunteers.join"  # a resident registers, signs up, checks in, reports hours
VOLUNTEER_VIEW = "volunteers.view"  # volunteers, activities and figures of one's scope (read)
VOLUNTEER_MANAGE = "volunteers.manage"  # publish activities, confirm, approve hours, proxy entry
VOLUNTEER_REVEAL = "volunteers.reveal"  # a volunteer's full ID number or phone, with a reason
TIMEBANK_USE = "timebank.use"  # a resident spends or donates their own time-bank hours
TIMEBANK_MANAGE = "timebank.manage"  # arrange exchanges, record expiry and corrections
PARTNERS_VIEW = "partners.view"  # social organisations, stations, premises of one's scope
PARTNERS_EDIT = "partners.edit"  # keep the register, evaluate, stations and social workers
VENTURES_MANAGE = "ventures.manage"  # venture calls, panels, contracts, final evaluation
VENTURES_REVIEW = "ventures.review"  # score applications when named on a call's panel
VENTURES_APPLY = "ventures.apply"  # an organisation applies and reports milestones
CHARITY_MANAGE = "charity.manage"  # needs, matches and the community's micro-funds
CHARITY_OFFER = "charity.offer"  # post an offer of goods, money or help
LINKAGE_VIEW = frozenset({VOLUNTEER_VIEW, PARTNERS_VIEW})
# social assistance (社会救助): incomes, property and illness are sensitive; only the roles that
# decide assistance read them, every read audited
WELFARE_INTAKE = "welfare.intake"  # record an application's household facts, the home survey, objections
WELFARE_REVIEW = "welfare.review"  # the street's review; temporary assistance decided at the street
WELFARE_DECIDE = "welfare.decide"  # the county's decision, the roll's changes, payroll approval
WELFARE_RULES = "welfare.rules"  # the city's dated amounts and thresholds (a city-level posting)
WELFARE_REVEAL = "welfare.reveal"  # a full account number or an unmasked export, with a reason
WELFARE_FIGURES = "welfare.figures"  # counts and amounts per unit, no person
WELFARE_EMPLOYMENT = "welfare.employment"  # zero-employment households, public-welfare posts, job needs
WELFARE_WORK = frozenset({WELFARE_INTAKE, WELFARE_REVEAL, WELFARE_FIGURES, WELFARE_EMPLOYMENT})
# care services (为民服务, issue 16): elderly care, family beds, home modifications, children, classes
CARE_ORDER = "care.order"  # a resident orders services for themself or an elder they care for, rates, enrols
CARE_VIEW = "care.view"  # care records of one's scope (orders, visits, providers, children, classes)
CARE_MANAGE = "care.manage"  # assess care need, approve orders, order for a resident (代下单), verify visits
CARE_PAY = "care.pay"  # approve a provider's monthly statement and record its payment
CARE_LIST_EDIT = "care.list_edit"  # the city's service list, assessment form, modification items and prices
CARE_PROVIDE = "care.provide"  # a provider receives its orders and assigns carers
CARE_VISIT = "care.visit"  # a carer checks in and out at the home and records what was done
CARE_CHILDREN = "care.children"  # children's lists, guardians, directors and visits (儿童主任)
CARE_PROTECT = "care.protect"  # read and act on restricted reports of suspected harm to a child
CARE_FIGURES = "care.figures"  # counts and rates per unit against the plan's targets, no person
CARE_WORK = frozenset({CARE_VIEW, CARE_MANAGE, CARE_CHILDREN, CARE_FIGURES})
# safe community (安民, issue 17): people's mediation, 慧评理, screening, four-zero, restricted cases
MEDIATION_APPLY = "mediation.apply"  # a resident applies for mediation, reasons out a dispute, follows theirs
MEDIATION_VIEW = "mediation.view"  # disputes of one's scope (facts and minutes sealed: read with a reason)
MEDIATION_INTAKE = "mediation.intake"  # register a dispute, record the parties' consent, assign a mediator
MEDIATION_MEDIATE = "mediation.mediate"  # a mediator's sessions, minutes and outcome on disputes assigned to them
MEDIATION_MANAGE = "mediation.manage"  # the mediator pool, the dispute kinds, reassignment across the street
MEDIATION_SCREEN = "mediation.screen"  # file the community's monthly dispute screening
MEDIATION_REASON = "mediation.reason"  # comment and propose on 慧评理 cases (评理员)
SAFETY_RECORD = "safety.record"  # emergency drills and safety incidents of one's scope
SAFETY_POLICE = "safety.police"  # the community police officer: cases for the four-zero figure, security events
SAFETY_FIGURES = "safety.figures"  # screening summaries and the four-zero board, no person
# restricted support cases: each kind names the permission that opens it (`mediation.domain.support`)
SUPPORT_JUDICIAL = "support.judicial"  # community corrections, drug rehabilitation, released prisoners
SUPPORT_FAMILY = "support.family"  # domestic-violence leads (police, the judicial office)
SUPPORT_COUNSEL = "support.counsel"  # psychological counselling
MEDIATION_WORK = frozenset({MEDIATION_VIEW, MEDIATION_INTAKE, MEDIATION_SCREEN, SAFETY_RECORD, SAFETY_FIGURES})
# deliberation and self-governance (协商议事, issue 18): consultation, the village procedure, conventions,
# the public board and the community burden list
CONSULT_TAKE_PART = "consultation.take_part"  # a resident proposes, supports, comments, votes, evaluates
CONSULT_VIEW = "consultation.view"  # topics, consultations, village matters and conventions of one's scope
CONSULT_MANAGE = "consultation.manage"  # the two committees: decide topics, run consultations, meetings, decisions
VILLAGE_REVIEW = "consultation.village_review"  # the town's review of a village's major matter (乡镇审核)
BURDEN_CERTIFY = "burden.certify"  # a community issues a certificate of a listed kind
BURDEN_REQUEST = "burden.request"  # a department asks communities to take a task (准入申请)
BURDEN_MANAGE = "burden.manage"  # the district keeps the certificate and task lists and decides requests
CONSULT_WORK = frozenset({CONSULT_VIEW, CONSULT_MANAGE, BURDEN_CERTIFY})
GRID_COMMUNITY = frozenset(
    {GRID_VIEW, GRID_REPORT, GRID_REGISTER, GRID_DISPATCH, GRID_WHISTLE, GRID_HANDLE, GRID_VERIFY}
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.RESIDENT: frozenset(
        {
            DESK_APPLY,
            GRID_REPORT,
            VOLUNTEER_JOIN,
            TIMEBANK_USE,
            CHARITY_OFFER,
            CARE_ORDER,
            MEDIATION_APPLY,
            CONSULT_TAKE_PART,
        }
    ),
    Role.GRID_WORKER: frozenset(
        {ORGTREE_VIEW, RESIDENTS_VIEW, RESIDENTS_EDIT, RESIDENTS_VISIT, RESIDENTS_EXPORT, RESIDENTS_REVEAL}
    )
    | FRONT_DESK
    | {GRID_VIEW, GRID_REPORT, GRID_VERIFY, VOLUNTEER_VIEW},
    Role.COMMUNITY_WORKER: frozenset(
        {
            ORGTREE_VIEW,
            RESIDENTS_VIEW,
            RESIDENTS_EDIT,
            RESIDENTS_VISIT,
            RESIDENTS_EXPORT,
            RESIDENTS_IMPORT,
            RESIDENTS_REVEAL,
            DESK_DECIDE,
        }
    )
    | FRONT_DESK
    | GRID_COMMUNITY
    | LINKAGE_VIEW
    | {VOLUNTEER_MANAGE, VOLUNTEER_REVEAL, TIMEBANK_MANAGE, CHARITY_MANAGE}
    | WELFARE_WORK
    | CARE_WORK
    | MEDIATION_WORK
    | CONSULT_WORK,
    Role.STREET_OFFICER: frozenset(
        {ORGTREE_VIEW, RESIDENTS_VIEW, RESIDENTS_EXPORT, RESIDENTS_REVEAL, DESK_DECIDE, DESK_SUPERVISE}
    )
    | FRONT_DESK
    | GRID_COMMUNITY
    | {GRID_SUPERVISE, FACILITY_VIEW, VOLUNTEER_MANAGE, CHARITY_MANAGE, VENTURES_REVIEW}
    | LINKAGE_VIEW
    | WELFARE_WORK
    | {WELFARE_REVIEW}
    | CARE_WORK
    | {CARE_PAY, CARE_PROTECT}
    | MEDIATION_WORK
    | {MEDIATION_MANAGE}
    | {CONSULT_VIEW, VILLAGE_REVIEW},
    Role.DEPARTMENT_OFFICER: frozenset(
        {ORGTREE_VIEW, RESIDENTS_VIEW, RESIDENTS_EXPORT, DESK_VIEW, DESK_DECIDE, GRID_VIEW, GRID_HANDLE, BURDEN_REQUEST}
    ),
    Role.DISTRICT_ADMIN: frozenset(
        {
            ORGTREE_VIEW,
            ACCOUNTS_MANAGE,
            RESIDENTS_VIEW,
            RESIDENTS_EXPORT,
            RESIDENTS_IMPORT,
            DESK_VIEW,
            DESK_SUPERVISE,
            GRID_VIEW,
            GRID_SUPERVISE,
            GRID_ROUTE_EDIT,
        }
    )
    | FACILITY_PLANNING
    | LINKAGE_VIEW
    | {VENTURES_REVIEW, WELFARE_FIGURES, CARE_FIGURES, SAFETY_FIGURES}
    | {CONSULT_VIEW, BURDEN_MANAGE},
    Role.CITY_ADMIN: frozenset(
        {
            ORGTREE_VIEW,
            ACCOUNTS_MANAGE,
            DIVISIONS_IMPORT,
            RESIDENTS_VIEW,
            RESIDENTS_EXPORT,
            RESIDENTS_IMPORT,
            DESK_VIEW,
            DESK_SUPERVISE,
            CATALOGUE_EDIT,
            CALENDAR_EDIT,
            GRID_VIEW,
            GRID_SUPERVISE,
            GRID_CATEGORY_EDIT,
            GRID_ROUTE_EDIT,
            FACILITY_KIND_EDIT,
        }
    )
    | FACILITY_PLANNING
    | LINKAGE_VIEW
    | {VENTURES_REVIEW, WELFARE_FIGURES, CARE_FIGURES, SAFETY_FIGURES}
    | {CONSULT_VIEW, BURDEN_MANAGE},
    Role.AUDITOR: frozenset({ORGTREE_VIEW, AUDIT_SEARCH, DESK_VIEW, DESK_SUPERVISE, GRID_VIEW, FACILITY_VIEW})
    | LINKAGE_VIEW,
    Role.OPERATOR: frozenset(
        {ORGTREE_VIEW, OPS_VIEW, DIVISIONS_IMPORT, RESIDENTS_VIEW, RESIDENTS_IMPORT, CATALOGUE_EDIT, CALENDAR_EDIT}
    ),
    # the civil-affairs bureau's planner (city or district): the registry and the analyses, no
    # personal data (household and resident counts only)
    Role.PLANNER: frozenset({ORGTREE_VIEW, FACILITY_KIND_EDIT}) | FACILITY_PLANNING,
    # volunteers are counted, not revealed; social assistance is decided here (the county's
    # decision by a district posting, the city's amounts by a city posting)
    Role.CIVIL_AFFAIRS_OFFICER: frozenset(
        {
            ORGTREE_VIEW,
            PARTNERS_EDIT,
            VOLUNTEER_MANAGE,
            TIMEBANK_MANAGE,
            VENTURES_MANAGE,
            VENTURES_REVIEW,
            CHARITY_MANAGE,
        }
    )
    | LINKAGE_VIEW
    | WELFARE_WORK
    | {WELFARE_REVIEW, WELFARE_DECIDE, WELFARE_RULES}
    | {CARE_VIEW, CARE_MANAGE, CARE_PAY, CARE_LIST_EDIT, CARE_CHILDREN, CARE_PROTECT, CARE_FIGURES},
    # what an organisation's own account may do; every app narrows it to that organisation
    Role.ORGANISER: frozenset({VOLUNTEER_VIEW, VOLUNTEER_MANAGE, VENTURES_APPLY, CHARITY_OFFER, PARTNERS_VIEW}),
    # a provider's accounts: `care` narrows both to their provider, and a carer to their own orders
    Role.CARE_PROVIDER: frozenset({CARE_PROVIDE, CARE_VISIT}),
    Role.CARER: frozenset({CARE_VISIT}),
    # a mediator holds the disputes assigned to them (reads them with MEDIATION_VIEW in their scope)
    Role.MEDIATOR: frozenset({MEDIATION_VIEW, MEDIATION_MEDIATE, MEDIATION_REASON}),
    Role.JUDICIAL_OFFICER: frozenset({ORGTREE_VIEW, MEDIATION_VIEW, MEDIATION_INTAKE, MEDIATION_MANAGE, SAFETY_FIGURES})
    | {SUPPORT_JUDICIAL, SUPPORT_FAMILY, SUPPORT_COUNSEL},
    # `mediation` narrows the officer to the communities of their beat
    Role.POLICE_OFFICER: frozenset({MEDIATION_VIEW, SAFETY_POLICE, SAFETY_RECORD, SUPPORT_FAMILY}),
    Role.REASONER: frozenset({MEDIATION_APPLY, MEDIATION_REASON, CONSULT_TAKE_PART}),
}


# An account holding any of these needs a second factor at log-in (等保 level 3): it can reveal
# personal data, change what the desk offers, grant roles or read the audit log.
SECOND_FACTOR_PERMISSIONS = frozenset(
    {
        RESIDENTS_REVEAL,
        VOLUNTEER_REVEAL,
        WELFARE_REVEAL,
        CARE_PROTECT,
        SUPPORT_JUDICIAL,
        SUPPORT_FAMILY,
        SUPPORT_COUNSEL,
        CATALOGUE_EDIT,
        ACCOUNTS_MANAGE,
        AUDIT_SEARCH,
    }
)


def permissions_for(roles: set[str]) -> frozenset[str]:
    granted: set[str] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)


def role_gives_data_scope(role: str) -> bool:
    """A resident's posting (or a reasoner's) names their community but grants no view of other people."""
    return role not in RESIDENT_ROLES


def is_department_only(actor) -> bool:
    """Staff whose only role is department officer. Their posting path is their district, but it
    must not open everything there: only the cases and events sent to their department."""
    staff_roles = actor.roles - RESIDENT_ROLES
    return bool(staff_roles) and staff_roles <= {Role.DEPARTMENT_OFFICER}


def second_factor_required(permissions: frozenset[str] | set[str]) -> bool:
    """Whether an account with these permissions must pass a second factor at log-in."""
    return bool(SECOND_FACTOR_PERMISSIONS & set(permissions))


def idle_limit_seconds(roles: frozenset[str] | set[str], *, staff_minutes: int, resident_minutes: int) -> int:
    """How long a session may stay idle: staff (any role beyond resident) get the short limit,
    because their sessions open personal data; a resident alone gets the long one."""
    staff = set(roles) - RESIDENT_ROLES
    return 60 * (staff_minutes if staff or not roles else resident_minutes)


# The demo city's accounts are enrolled with a TOTP key derived from their username, so a new
# user can try the demo without a phone (the code is shown on the second-factor page, and the
# browser tests compute it). Public by construction: never use outside the demo.
DEMO_DEVICE_NAME = "demo"
DEMO_KEY_SALT = b"linli-demo-totp:"


def demo_totp_key(username: str) -> str:
    """The demo account's TOTP key (40 hex digits, 160 bits as RFC 4226 recommends)."""
    import hashlib

    return hashlib.sha1(DEMO_KEY_SALT + username.encode(), usedforsecurity=False).hexdigest()


def is_demo_device(name: str, key: str, username: str) -> bool:
    """An authenticator the demo set up with the account's public demo key."""
    return name == DEMO_DEVICE_NAME and key == demo_totp_key(username)


def may_see_log_in_security(actor) -> bool:
    """Operators and account administrators see lock-outs and failures, and unlock."""
    return actor.has_perm(OPS_VIEW) or actor.has_perm(ACCOUNTS_MANAGE)


# The log-in events' names, for the security page (the audit page names them too).
LOGIN_EVENT_NAMES = {
    "login.failed": _("Log-in failed"),
    "login.locked": _("Log-in locked"),
    "login.unlock": _("Log-in unlocked"),
}
