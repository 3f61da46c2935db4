from datetime import date

from django.core.management import call_command

from linli.timebank.services import ExchangeInput, exchange_request
from linli.timebank.workbench import timebank_today


def test_the_workbench_shows_exchanges_waiting_in_the_area(bank, actors, django_assert_num_queries):
    exchange_request(actor=actors["resident"], data=ExchangeInput(service="meal_delivery"))
    with django_assert_num_queries(2):
        section = timebank_today(actors["community_worker"], date.today())
    assert {c.key: c.count for c in section.counts}["timebank.requested"] == 1
    assert len(section.rows) == 1 and "/staff/time-bank/exchanges/" in section.rows[0].url
    other = timebank_today(actors["other_community_worker"], date.today())
    assert sum(c.count for c in other.counts) == 0 and not other.rows
    assert timebank_today(actors["resident"], date.today()) is None
    assert timebank_today(actors["street_officer"], date.today()) is None


def test_the_expiry_command_says_what_it_did(db, capsys):
    call_command("timebank_expire")
    assert "no rule" in capsys.readouterr().out


def test_the_staff_home_shows_the_section(bank, actors):
    from django.test import Client
    from django.urls import reverse

    from linli.testing import log_in

    exchange_request(actor=actors["resident"], data=ExchangeInput(service="meal_delivery"))
    client = Client()
    log_in(client, "community_worker")
    response = client.get(reverse("portal:staff-home"))
    assert response.status_code == 200
    assert "/staff/time-bank/exchanges/?state=requested" in response.text
