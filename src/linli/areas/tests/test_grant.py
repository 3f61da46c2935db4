import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from linli.accounts.selectors import actor_for_user, user_by_username


def test_grant_creates_an_account_with_a_scoped_posting(tree, capsys):
    call_command("grant", "li", "street_officer", "210102001000", "--create", "--display-name", "李")
    out = capsys.readouterr().out
    assert "initial password" in out
    actor = actor_for_user(user_by_username("li"))
    assert actor.scope_paths == ("210102001",) and actor.roles == {"street_officer"}


def test_grant_at_a_grid_and_a_department(tree):
    call_command("grant", "wang", "grid_worker", "210102001002001", "--create")
    call_command("grant", "wang", "department_officer", "210102-civil_affairs")
    actor = actor_for_user(user_by_username("wang"))
    assert actor.scope_paths == ("210102",)  # the department's district covers the grid
    assert actor.roles == {"grid_worker", "department_officer"}


def test_end_removes_the_scope(tree):
    call_command("grant", "zhao", "community_worker", "210102001002", "--create")
    call_command("grant", "zhao", "community_worker", "210102001002", "--end")
    assert actor_for_user(user_by_username("zhao")).scope_paths == ()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "mayor", "210102001000", "--create"], "unknown role"),
        (["x", "street_officer", "999999999999", "--create"], "not found"),
        (["x", "street_officer", "210102001002", "--create"], "cannot be held"),
        (["nobody", "street_officer", "210102001000"], "No such account"),
    ],
)
def test_bad_grants_are_refused_with_the_reason(tree, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("grant", *args)
    assert user_by_username("x") is None
