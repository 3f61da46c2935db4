"""Shared by the residents commands: the actor a command acts as."""

from django.core.management.base import CommandError

from linli.accounts.selectors import actor_for_user, user_by_username
from linli.areas.selectors import city_unit
from linli.core.actor import Actor


def command_actor(username: str, *, name: str, permissions: frozenset[str]) -> Actor:
    """The account given with `--as` (its scope and field set apply), else a system actor over
    the loaded city — whichever city that is, never a hard-wired code."""
    if username:
        user = user_by_username(username)
        if user is None:
            raise CommandError(f"账号「{username}」不存在 (no such account)")
        return actor_for_user(user)
    city = city_unit()
    if city is None:
        raise CommandError("尚未导入区划，请先运行 linli import-divisions (no divisions loaded yet)")
    return Actor.system(name, permissions=permissions, root_path=city.path)
