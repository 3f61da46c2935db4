"""`Idempotency-Key` kept in the database: a replay returns the first answer and creates nothing,
a different body is refused naming the header, an expired key runs again, keys are per user,
and `linli tick` removes expired keys."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from linli.core.actor import Actor
from linli.core.errors import DomainError, Msg
from linli.core.idempotency import HEADER, REPLAYED_HEADER, idempotent
from linli.core.models import IdempotencyKey, InboxMessage
from linli.core.services import idempotency_keys_prune

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 11, 25, 4, tzinfo=UTC)


def post(body: dict, key: str = "k1", user_id: int = 7, path: str = "/api/v1/things"):
    request = RequestFactory().post(path, json.dumps(body), content_type="application/json", headers={HEADER: key})
    request.actor = Actor(user_id=user_id, username=f"u{user_id}")
    request.linli_response = HttpResponse()  # what core.apitools gives API views
    return request


def create_message(text: str = "hello"):
    """The work an endpoint does: create one object and answer with it."""

    def create():
        message = InboxMessage.objects.create(user_id=1, at=timezone.now(), kind="test", text_zh=text, text_en=text)
        return 201, {"id": message.pk, "text": text}

    return create


def test_a_retry_replays_the_first_answer_and_creates_exactly_one_object():
    first_request = post({"text": "a"})
    first = idempotent(first_request, create_message())
    retry_request = post({"text": "a"})
    again = idempotent(retry_request, create_message())
    assert first == again and first[0] == 201
    assert InboxMessage.objects.count() == 1
    assert REPLAYED_HEADER not in first_request.linli_response
    assert retry_request.linli_response[REPLAYED_HEADER] == "true"
    row = IdempotencyKey.objects.get()
    assert (row.owner, row.method, row.path, row.status_code) == ("u:7", "POST", "/api/v1/things", 201)
    assert row.key_digest != "k1" and len(row.key_digest) == 64  # the key itself is not stored


def test_the_same_key_with_a_different_body_is_refused_naming_the_header():
    idempotent(post({"text": "a"}), create_message())
    with pytest.raises(DomainError) as refused:
        idempotent(post({"text": "b"}), create_message("b"))
    assert refused.value.status == 422
    assert [f.field for f in refused.value.fields] == [HEADER]
    assert "different body" in refused.value.fields[0].message.en
    assert InboxMessage.objects.count() == 1


def test_a_failure_keeps_nothing_so_the_fixed_request_may_use_the_same_key():
    def fails():
        InboxMessage.objects.create(user_id=1, at=timezone.now(), kind="test", text_zh="x", text_en="x")
        raise DomainError(Msg("不行", "bad"), status=400)

    with pytest.raises(DomainError):
        idempotent(post({"text": "a"}), fails)
    assert (IdempotencyKey.objects.count(), InboxMessage.objects.count()) == (0, 0)  # rolled back together
    assert idempotent(post({"text": "a"}), create_message())[0] == 201
    assert InboxMessage.objects.count() == 1


def test_an_expired_key_runs_again_and_the_tick_job_removes_expired_keys():
    with time_machine.travel(NOON, tick=False):
        first = idempotent(post({"text": "a"}), create_message())
    with time_machine.travel(NOON + timedelta(hours=24, minutes=1), tick=False):
        second = idempotent(post({"text": "a"}), create_message())
        assert second[1]["id"] != first[1]["id"]
        assert InboxMessage.objects.count() == 2 and IdempotencyKey.objects.count() == 1
        idempotent(post({"text": "a"}, key="k2"), create_message())
    with time_machine.travel(NOON + timedelta(hours=48, minutes=30), tick=False):
        idempotent(post({"text": "a"}, key="k3"), create_message())
        assert idempotency_keys_prune() == "expired idempotency keys removed: 2"
    assert IdempotencyKey.objects.count() == 1


def test_another_users_same_key_is_independent():
    mine = idempotent(post({"text": "a"}, user_id=7), create_message())
    theirs = idempotent(post({"text": "a"}, user_id=8), create_message())
    assert mine[1]["id"] != theirs[1]["id"]
    assert InboxMessage.objects.count() == 2
    assert sorted(IdempotencyKey.objects.values_list("owner", flat=True)) == ["u:7", "u:8"]


def test_the_same_key_on_another_route_is_independent_and_without_a_key_nothing_is_kept():
    idempotent(post({"text": "a"}, path="/api/v1/one"), create_message())
    idempotent(post({"text": "a"}, path="/api/v1/two"), create_message())
    assert InboxMessage.objects.count() == 2
    bare = RequestFactory().post("/api/v1/one", "{}", content_type="application/json")
    idempotent(bare, create_message())
    idempotent(bare, create_message())
    assert InboxMessage.objects.count() == 4 and IdempotencyKey.objects.count() == 2


def test_a_key_too_long_is_refused_and_an_unfinished_row_answers_in_progress():
    with pytest.raises(DomainError) as too_long:
        idempotent(post({"text": "a"}, key="k" * 256), create_message())
    assert too_long.value.status == 422 and too_long.value.fields[0].field == HEADER
    # a row without an answer (a first request that has not committed its work) is never replayed
    request = post({"text": "a"})
    idempotent(request, create_message())
    IdempotencyKey.objects.update(status_code=None, body=None)
    with pytest.raises(DomainError) as busy:
        idempotent(post({"text": "a"}), create_message())
    assert busy.value.status == 409 and "in progress" in busy.value.message.en
    assert InboxMessage.objects.count() == 1
