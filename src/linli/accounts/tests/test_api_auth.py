"""Tokens, log-in failures, the error shape and /me."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from linli.accounts.models import ApiToken
from linli.core.models import AuditEntry

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()


def issue(client, username, password=PASSWORD, **headers):
    return client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json", **headers
    )


def test_token_authenticates_api_calls(client, people):
    response = issue(client, "street_officer")
    assert response.status_code == 201
    token = response.json()["token"]
    assert token.startswith("lnl_")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "street_officer"
    assert body["roles"] == ["street_officer"]
    assert body["scope_paths"] == ["210102001"]
    assert body["postings"][0]["place"] == "浑河湾街道"
    # only the hash is stored
    assert not ApiToken.objects.filter(key_hash=token).exists()


def test_revoked_token_stops_working(client, people):
    body = issue(client, "street_officer").json()
    auth = {"Authorization": f"Bearer {body['token']}"}
    revoked = client.delete(f"/api/v1/auth/tokens/{body['id']}", headers=auth)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert client.get("/api/v1/me", headers=auth).status_code == 401
    assert AuditEntry.objects.filter(action="token.revoke").count() == 1


def test_cannot_revoke_someone_elses_token(client, people):
    theirs = issue(client, "street_officer").json()
    mine = issue(client, "city_admin").json()
    response = client.delete(
        f"/api/v1/auth/tokens/{theirs['id']}", headers={"Authorization": f"Bearer {mine['token']}"}
    )
    assert response.status_code == 404
    assert ApiToken.objects.get(public_id=theirs["id"]).revoked_at is None


def test_expired_token_is_refused(client, people):
    body = issue(client, "street_officer").json()
    ApiToken.objects.filter(public_id=body["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("language", "message"), [("zh-hans", "用户名或密码不正确"), ("en", "Wrong username or password")]
)
def test_bad_login_answers_in_the_request_language(client, people, language, message):
    response = issue(client, "street_officer", "wrong-password", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 401
    assert response.json() == {"error": {"code": "bad_credentials", "message": message, "fields": []}}
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.filter(action="login.failed").count() == 1


def test_repeated_failures_are_throttled(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert issue(client, "street_officer", "nope").status_code == 401
    assert issue(client, "street_officer", "nope").status_code == 429  # the failure that locks
    response = issue(client, "street_officer")  # even the right password waits now
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD}, "username"),
        ({"username": "", "password": PASSWORD}, "username"),
        ({"username": "x", "password": 5}, "password"),
    ],
)
def test_malformed_body_names_the_field(client, people, body, field):
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert [f["field"] for f in error["fields"]] == [field]


def test_body_that_is_not_json_is_refused_clearly(client, people):
    response = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["error"]["code"]


def test_unknown_api_path_answers_in_the_error_shape(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_unknown_unit_code_is_not_found(client, people):
    client.force_login(people["city_admin"])
    response = client.get("/api/v1/org-units/999999999999")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "单位不存在或无权访问"


def test_lists_are_paginated(client, people):
    client.force_login(people["city_admin"])
    first = client.get("/api/v1/org-units", {"q": "社区", "limit": 2}).json()
    second = client.get("/api/v1/org-units", {"q": "社区", "limit": 2, "offset": 2}).json()
    assert first["count"] == 4 and len(first["items"]) == 2 and len(second["items"]) == 2
    assert {u["code"] for u in first["items"]}.isdisjoint(u["code"] for u in second["items"])
    past_the_end = client.get("/api/v1/org-units", {"q": "社区", "offset": 10}).json()
    assert (past_the_end["items"], past_the_end["count"]) == ([], 4)
    bad = client.get("/api/v1/org-units", {"limit": 0})
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "limit"


def test_session_writes_need_csrf(people):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["street_officer"])
    token = ApiToken.objects.create(
        user=people["street_officer"], key_hash="x" * 64, prefix="lnl_x", expires_at=timezone.now() + timedelta(days=1)
    )
    response = strict.delete(f"/api/v1/auth/tokens/{token.public_id}")
    assert response.status_code in (401, 403)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_openapi_schema_is_published(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/org-units/{code}" in response.json()["paths"]


def test_me_list_query_count_is_fixed(client, people, django_assert_num_queries):
    client.force_login(people["district_admin"])
    # session, user, postings (actor), postings with places (me)
    with django_assert_num_queries(4):
        assert client.get("/api/v1/me").status_code == 200


def test_org_unit_list_query_count_is_fixed(client, people, django_assert_num_queries):
    client.force_login(people["city_admin"])
    with django_assert_num_queries(4):  # session, user, actor, page with its total (window count)
        page = client.get("/api/v1/org-units", {"q": "社区", "limit": 2}).json()
    assert page["count"] == 4 and len(page["items"]) == 2
    assert set(page["items"][0]) == {
        "code",
        "path",
        "name",
        "kind",
        "unit_type",
        "depth",
        "urban_rural",
        "urban_rural_derived",
    }


def test_token_of_an_inactive_account_is_refused(client, people):
    token = issue(client, "street_officer").json()["token"]
    people["street_officer"].is_active = False
    people["street_officer"].save(update_fields=["is_active"])
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_token_actor_ignores_ended_postings_and_costs_one_query(client, people, django_assert_num_queries):
    from linli.accounts.models import Posting

    user = people["community_worker"]
    token = issue(client, "community_worker").json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    client.get("/api/v1/me", headers=auth)  # first use records last_used_at
    with django_assert_num_queries(2):  # the token with its user and postings; the page
        top = client.get("/api/v1/org-units", headers=auth).json()["items"]
    assert [u["name"] for u in top] == ["水源地社区"]
    Posting.objects.filter(user=user).update(ended_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/org-units", headers=auth).json()["items"] == []
