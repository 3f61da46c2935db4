"""`as_user`: the test client logged in as one of the shared test accounts (or anonymous)."""

import pytest

from linli.core.memo import forget_all


@pytest.fixture(autouse=True)
def _fresh_memos():
    forget_all()  # the memoised calendar must not carry rows over from another test's database
    yield
    forget_all()


@pytest.fixture
def as_user(client, people):
    def login(name):
        client.logout()
        if name != "anonymous":
            client.force_login(people[name])
        return client

    return login
