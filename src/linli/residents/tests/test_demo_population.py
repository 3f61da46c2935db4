from datetime import date

from django.db import connection

from linli.core.crypto import blind_index, unseal
from linli.residents.domain import id_number_make, id_number_valid
from linli.residents.models import Household, Resident
from linli.residents.services import demo_population_generate
from linli.testing import SYSTEM


def test_id_numbers_follow_gb_11643():
    number = id_number_make("210102", date(1990, 1, 1), 123, "male")
    assert id_number_valid(number) and number.startswith("21010219900101")
    assert int(number[16]) % 2 == 1
    assert int(id_number_make("210102", date(1990, 1, 1), 123, "female")[16]) % 2 == 0
    assert id_number_valid("11010519491231002X")
    assert not id_number_valid("110105194912310021") and not id_number_valid("11010519491331002X")


def test_synthetic_population_is_valid_sealed_and_idempotent(tree):
    assert demo_population_generate(actor=SYSTEM, residents=60) == 60
    assert demo_population_generate(actor=SYSTEM, residents=60) == 0
    people = list(Resident.objects.all())
    assert len(people) == 60 and Household.objects.count() >= 60 / 4
    for person in people:
        id_number = unseal(person.id_number_sealed, context="resident.id_number")
        assert id_number_valid(id_number)
        assert id_number.startswith(person.path[:6])
        assert person.id_number_index == blind_index(id_number, context="resident.id_number")
        assert person.id_number_masked == id_number[:6] + "********" + id_number[-4:]


def test_the_database_holds_no_plaintext_id_numbers_or_phones(tree):
    demo_population_generate(actor=SYSTEM, residents=30)
    secrets = [
        (unseal(p.id_number_sealed, context="resident.id_number"), unseal(p.phone_sealed, context="resident.phone"))
        for p in Resident.objects.all()
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM residents_resident")
        dump = repr(cursor.fetchall())
    for id_number, phone in secrets:
        assert id_number not in dump and phone not in dump


def test_focus_area_draws_its_share_of_the_people(tree):
    # 集贤街道 has 2 of the tree's 10 grids: about a fifth of the people without a focus
    demo_population_generate(actor=SYSTEM, residents=400, focus_path="210102002", focus_share=0.75)
    in_focus = Resident.objects.filter(path__startswith="210102002").count()
    assert 240 < in_focus < 360  # three quarters of 400, give or take household sizes and the dice


def test_synthetic_people_never_share_an_id_number(tree):
    import random

    from faker import Faker

    from linli.areas.models import Building
    from linli.residents.services import _person

    building = Building.objects.first()
    used: set[str] = set()
    twins = [
        _person(random.Random(5), Faker("zh_CN"), None, building, True, date(2026, 11, 25), used) for _ in range(3)
    ]  # the same dice three times: same birth date, same first sequence number
    numbers = {unseal(p.id_number_sealed, context="resident.id_number") for p in twins}
    assert len(numbers) == 3 and all(id_number_valid(n) for n in numbers)
