# ruff: noqa: N801, N805  (OpenFisca: a variable class is named as the variable; formulas take the population)
"""The rules of social assistance as OpenFisca variables: two entities (person, household) and one
variable per concept, each with a formula that reads the dated parameters. Every variable is
defined per day (`DAY`), so a parameter changed on any date applies from that date.

Money is float64 here (OpenFisca's default float32 would lose fen at city scale) and rounded once,
to the fen, by the engine when it hands out a `Result`. Comparisons with a standard are made on
household totals (income < standard × members) with a small tolerance, never on a divided
per-capita figure, so 2,460.00 < 820.00 × 3 is exactly false.

Read `docs/assistance.md` "The rules in words beside the code" beside this file."""

from __future__ import annotations

import datetime

import numpy
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DAY
from openfisca_core.variables import Variable

# tolerance for comparing sums of amounts with two decimal places in float64
EPS = 1e-6

Person = build_entity(
    key="person",
    plural="persons",
    label="A person",
    doc="A member of a household living together (共同生活的家庭成员).",
    is_person=True,
)
Household = build_entity(
    key="household",
    plural="households",
    label="A household",
    doc="The household whose income, property and expenditure are assessed together.",
    roles=[{"key": "member", "plural": "members", "label": "Member"}],
)
ENTITIES = [Person, Household]


class Money(Variable):
    """A variable in yuan, computed in float64."""

    value_type = float

    def __init__(self, baseline_variable=None) -> None:
        super().__init__(baseline_variable)
        self.dtype = numpy.float64


def _lt(a, b):
    return a < b - EPS


def _le(a, b):
    return a <= b + EPS


# ---------------------------------------------------------------- person: inputs


class birth_date(Variable):
    value_type = datetime.date
    entity = Person
    definition_period = DAY
    label = "Date of birth"


class disability_level(Variable):
    value_type = int
    entity = Person
    definition_period = DAY
    label = "Disability level (0 none, 1 most severe … 4)"


class serious_illness(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Seriously ill (重病)"


class declared_able_to_work(Variable):
    value_type = bool
    default_value = True
    entity = Person
    definition_period = DAY
    label = "Able to work as the worker found (有劳动能力)"


class employed(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Employed"


class female(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Female (for the working age)"


class care_need(Variable):
    value_type = int
    entity = Person
    definition_period = DAY
    label = "Care need (0 self-care, 1 partly dependent, 2 fully dependent)"


INCOME_SOURCES = (
    "wage",
    "business",
    "property",
    "transfer",
    "other",
    "special_care",
    "scholarship",
    "disability_allowance",
    "assistance",
)


def _income_variable(source: str) -> type[Variable]:
    return type(
        f"income_{source}",
        (Money,),
        {
            "value_type": float,
            "entity": Person,
            "definition_period": DAY,
            "label": f"Monthly income: {source}",
        },
    )


INCOME_VARIABLES = [_income_variable(source) for source in INCOME_SOURCES]


# ---------------------------------------------------------------- person: formulas


class age(Variable):
    value_type = int
    entity = Person
    definition_period = DAY
    label = "Age in completed years on the date"

    def formula(person, period, parameters):
        birth = person("birth_date", period)
        birth_year = birth.astype("datetime64[Y]").astype(int) + 1970
        birth_month = birth.astype("datetime64[M]").astype(int) % 12 + 1
        birth_day = (birth - birth.astype("datetime64[M]")).astype(int) + 1
        start = period.start
        had_birthday = (birth_month < start.month) + (birth_month == start.month) * (birth_day <= start.day)
        return (start.year - birth_year) - numpy.where(had_birthday, 0, 1)


class no_working_ability(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Without working ability (old, minor, severely disabled, seriously ill or found unable)"

    def formula(person, period, parameters):
        p = parameters(period).tekun
        years = person("age", period)
        level = person("disability_level", period)
        return (
            (years >= p.age_old)
            + (years < p.age_minor)
            + ((level >= 1) * (level <= p.disability_level_max))
            + person("serious_illness", period)
            + numpy.logical_not(person("declared_able_to_work", period))
        )


class working_age(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Of working age"

    def formula(person, period, parameters):
        p = parameters(period).employment
        years = person("age", period)
        upper = numpy.where(person("female", period), p.working_age_max_female, p.working_age_max_male)
        return (years >= p.working_age_min) * (years < upper)


class counted_income(Money):
    value_type = float
    entity = Person
    definition_period = DAY
    label = "Monthly income counted (after the sources not counted and the wage disregard)"

    def formula(person, period, parameters):
        p = parameters(period).income
        wage = numpy.maximum(person("income_wage", period) - p.wage_disregard, 0)
        total = wage * p.counted_share.wage
        for source in INCOME_SOURCES[1:]:
            total = total + person(f"income_{source}", period) * p.counted_share[source]
        return total


class dibao_addon(Money):
    value_type = float
    entity = Person
    definition_period = DAY
    label = "Classified add-on (分类施保): the highest that applies"

    def formula(person, period, parameters):
        p = parameters(period).addon
        standard = person.household("dibao_standard", period)
        years = person("age", period)
        level = person("disability_level", period)

        def amount(node):
            return node.share * standard + node.fixed

        candidates = [
            numpy.where(years >= p.old.age, amount(p.old), 0),
            numpy.where((level >= 1) * (level <= 2), amount(p.disability_severe), 0),
            numpy.where(level >= 3, amount(p.disability_other), 0),
            numpy.where(person("serious_illness", period), amount(p.illness), 0),
            numpy.where(years < p.young.age, amount(p.young), 0),
        ]
        return numpy.maximum.reduce(candidates)


class covered_alone(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "May be covered alone (单人保): seriously ill or severely disabled"

    def formula(person, period, parameters):
        p = parameters(period).dibao.single_person
        level = person("disability_level", period)
        return person("serious_illness", period) + (level >= 1) * (level <= p.disability_level_max)


class tekun_member_amount(Money):
    value_type = float
    entity = Person
    definition_period = DAY
    label = "Tekun support for the member: basic standard + care standard by care need"

    def formula(person, period, parameters):
        p = parameters(period).tekun
        basic = p.basic_factor * person.household("dibao_standard", period)
        need = person("care_need", period)
        care = numpy.select([need == 2, need == 1], [p.care.full, p.care.partial], p.care.self)
        return basic + care


# ---------------------------------------------------------------- household: inputs


class rural(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "Rural (the rural standard applies)"


class deposits(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Deposits and financial assets"


class vehicles(Variable):
    value_type = int
    entity = Household
    definition_period = DAY
    label = "Motor vehicles owned"


class vehicle_value(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Total value of the motor vehicles"


class homes(Variable):
    value_type = int
    default_value = 1
    entity = Household
    definition_period = DAY
    label = "Dwellings owned"


class medical_costs(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Monthly own-paid medical costs"


class education_costs(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Monthly education costs"


class disability_costs(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Monthly rehabilitation and care costs of a disability"


class has_able_supporter(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "Has a relative obliged and able to support"


# ---------------------------------------------------------------- household: formulas


class dibao_standard(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Dibao standard that applies (urban or rural)"

    def formula(household, period, parameters):
        p = parameters(period).dibao.standard
        return numpy.where(household("rural", period), p.rural, p.urban)


class members_count(Variable):
    value_type = int
    entity = Household
    definition_period = DAY
    label = "Members living together"

    def formula(household, period, parameters):
        return household.nb_persons()


class income_before_deductions(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Monthly counted income before rigid-expenditure deductions"

    def formula(household, period, parameters):
        return household.sum(household.members("counted_income", period))


def _deduction(household, period, parameters, kind: str):
    p = parameters(period).rigid[kind]
    return numpy.minimum(household(f"{kind}_costs", period) * p.share, p.cap)


class medical_deduction(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Medical costs deducted"

    def formula(household, period, parameters):
        return _deduction(household, period, parameters, "medical")


class education_deduction(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Education costs deducted"

    def formula(household, period, parameters):
        return _deduction(household, period, parameters, "education")


class disability_deduction(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Disability costs deducted"

    def formula(household, period, parameters):
        return _deduction(household, period, parameters, "disability")


class rigid_deductions(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Rigid expenditure deducted"

    def formula(household, period, parameters):
        return (
            household("medical_deduction", period)
            + household("education_deduction", period)
            + household("disability_deduction", period)
        )


class household_counted_income(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Monthly counted income after rigid-expenditure deductions (not below zero)"

    def formula(household, period, parameters):
        return numpy.maximum(household("income_before_deductions", period) - household("rigid_deductions", period), 0)


class per_capita_income(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Monthly per-capita counted income"

    def formula(household, period, parameters):
        members = numpy.maximum(household("members_count", period), 1)
        return household("household_counted_income", period) / members


class per_capita_income_before_deductions(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Monthly per-capita income before rigid-expenditure deductions"

    def formula(household, period, parameters):
        members = numpy.maximum(household("members_count", period), 1)
        return household("income_before_deductions", period) / members


class deposit_limit(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Deposit limit (months × standard × members, or the absolute limit if smaller)"

    def formula(household, period, parameters):
        p = parameters(period).property
        relative = p.deposit_months * household("dibao_standard", period) * household("members_count", period)
        if p.deposit_limit_absolute > 0:
            return numpy.minimum(relative, p.deposit_limit_absolute)
        return relative


class deposits_ok(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "Deposits within the limit"

    def formula(household, period, parameters):
        return _le(household("deposits", period), household("deposit_limit", period))


class vehicles_ok(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "Vehicles within the limit"

    def formula(household, period, parameters):
        p = parameters(period).property
        return (household("vehicles", period) == 0) + _le(household("vehicle_value", period), p.vehicle_value_limit)


class homes_ok(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "Dwellings within the limit"

    def formula(household, period, parameters):
        return household("homes", period) <= parameters(period).property.homes_max


class property_ok(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "Property test passed (deposits, vehicles, dwellings)"

    def formula(household, period, parameters):
        return household("deposits_ok", period) * household("vehicles_ok", period) * household("homes_ok", period)


class below_standard(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "Per-capita counted income below the dibao standard"

    def formula(household, period, parameters):
        line = household("dibao_standard", period) * household("members_count", period)
        return _lt(household("household_counted_income", period), line)


class edge_line(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Edge line per person (factor × standard)"

    def formula(household, period, parameters):
        return parameters(period).edge.factor * household("dibao_standard", period)


class tekun_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "Tekun: no member able to work, income below the standard, no able supporter, property ok"

    def formula(household, period, parameters):
        return (
            household.all(household.members("no_working_ability", period))
            * household("below_standard", period)
            * numpy.logical_not(household("has_able_supporter", period))
            * household("property_ok", period)
        )


class dibao_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "Dibao: income below the standard, property ok"

    def formula(household, period, parameters):
        return household("below_standard", period) * household("property_ok", period)


class edge_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "Near-dibao: income before deductions below the edge line, property ok"

    def formula(household, period, parameters):
        line = household("edge_line", period) * household("members_count", period)
        return _lt(household("income_before_deductions", period), line) * household("property_ok", period)


class rigid_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = DAY
    label = "Rigid hardship: income above the edge line, brought below it by rigid expenditure, property ok"

    def formula(household, period, parameters):
        line = household("edge_line", period) * household("members_count", period)
        return (
            numpy.logical_not(_lt(household("income_before_deductions", period), line))
            * _lt(household("household_counted_income", period), line)
            * (household("rigid_deductions", period) > 0)
            * household("property_ok", period)
        )


class single_person_members(Variable):
    value_type = int
    entity = Household
    definition_period = DAY
    label = "Members who could be covered alone (单人保 on, income below the edge line, property ok)"

    def formula(household, period, parameters):
        enabled = parameters(period).dibao.single_person.enabled >= 1
        line = household("edge_line", period) * household("members_count", period)
        possible = enabled * _lt(household("household_counted_income", period), line) * household("property_ok", period)
        count = household.sum(household.members("covered_alone", period))
        return numpy.where(possible, count, 0)


class members_covered_alone(Variable):
    value_type = int
    entity = Household
    definition_period = DAY
    label = "Members covered alone (单人保) in a household not eligible for dibao as a whole"

    def formula(household, period, parameters):
        return numpy.where(household("dibao_eligible", period), 0, household("single_person_members", period))


class AssistanceClassCode(Enum):
    none = "Not eligible"
    rigid = "Rigid-expenditure hardship"
    edge = "Near-dibao"
    dibao = "Dibao"
    tekun = "Tekun"


class assistance_class(Variable):
    value_type = Enum
    possible_values = AssistanceClassCode
    default_value = AssistanceClassCode.none
    entity = Household
    definition_period = DAY
    label = "Assistance class, tried in order tekun → dibao (incl. single-person) → edge → rigid"

    def formula(household, period, parameters):
        return numpy.select(
            [
                household("tekun_eligible", period),
                household("dibao_eligible", period) + (household("members_covered_alone", period) > 0),
                household("edge_eligible", period),
                household("rigid_eligible", period),
            ],
            [
                AssistanceClassCode.tekun,
                AssistanceClassCode.dibao,
                AssistanceClassCode.edge,
                AssistanceClassCode.rigid,
            ],
            AssistanceClassCode.none,
        )


class dibao_gap(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "(Standard − per-capita income) × members"

    def formula(household, period, parameters):
        line = household("dibao_standard", period) * household("members_count", period)
        return numpy.maximum(line - household("household_counted_income", period), 0)


class dibao_addons(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Classified add-ons of the members"

    def formula(household, period, parameters):
        return household.sum(household.members("dibao_addon", period))


class single_person_amount(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Single-person dibao: share × standard + add-on per member covered alone"

    def formula(household, period, parameters):
        p = parameters(period).dibao.single_person
        alone = household.members("covered_alone", period)
        per_member = p.share * household.project(household("dibao_standard", period)) + household.members(
            "dibao_addon", period
        )
        total = household.sum(numpy.where(alone, per_member, 0))
        return numpy.where(household("single_person_members", period) > 0, total, 0)


class dibao_amount(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Dibao monthly amount (gap + add-ons, or the single-person amount if higher; at least the minimum)"

    def formula(household, period, parameters):
        # a household eligible as a whole gets at least what its members would get alone, so
        # more income never raises the amount (from whole-household to single-person dibao)
        minimum = parameters(period).dibao.minimum_amount
        alone = household("single_person_amount", period)
        whole = numpy.maximum(household("dibao_gap", period) + household("dibao_addons", period), alone)
        return numpy.maximum(numpy.where(household("dibao_eligible", period), whole, alone), minimum)


class tekun_amount(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Tekun monthly amount (basic + care standard per member)"

    def formula(household, period, parameters):
        return household.sum(household.members("tekun_member_amount", period))


class monthly_amount(Money):
    value_type = float
    entity = Household
    definition_period = DAY
    label = "Monthly amount paid (tekun or dibao; 0 for the classes not paid monthly)"

    def formula(household, period, parameters):
        grade = household("assistance_class", period)
        return numpy.select(
            [grade == AssistanceClassCode.tekun, grade == AssistanceClassCode.dibao],
            [household("tekun_amount", period), household("dibao_amount", period)],
            0.0,
        )


VARIABLES: list[type[Variable]] = [
    birth_date,
    disability_level,
    serious_illness,
    declared_able_to_work,
    employed,
    female,
    care_need,
    *INCOME_VARIABLES,
    age,
    no_working_ability,
    working_age,
    counted_income,
    dibao_addon,
    covered_alone,
    tekun_member_amount,
    rural,
    deposits,
    vehicles,
    vehicle_value,
    homes,
    medical_costs,
    education_costs,
    disability_costs,
    has_able_supporter,
    dibao_standard,
    members_count,
    income_before_deductions,
    medical_deduction,
    education_deduction,
    disability_deduction,
    rigid_deductions,
    household_counted_income,
    per_capita_income,
    per_capita_income_before_deductions,
    deposit_limit,
    deposits_ok,
    vehicles_ok,
    homes_ok,
    property_ok,
    below_standard,
    edge_line,
    tekun_eligible,
    dibao_eligible,
    edge_eligible,
    rigid_eligible,
    single_person_members,
    members_covered_alone,
    assistance_class,
    dibao_gap,
    dibao_addons,
    single_person_amount,
    dibao_amount,
    tekun_amount,
    monthly_amount,
]
