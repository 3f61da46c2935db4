"""`linli open311-key "CLIENT NAME"`: issue an Open311 api_key to a client application. The key
is printed once; only its hash is stored, so a lost key is replaced by issuing a new one.
`linli open311-key --revoke "CLIENT NAME"` stops every key of that client at once."""

from django.core.management.base import BaseCommand, CommandError

from linli.accounts.domain import GRID_CATEGORY_EDIT
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.grid_events.services import open311_key_create, open311_key_revoke


class Command(BaseCommand):
    help = "Issue an Open311 api_key for a client application (发放 Open311 api_key); the key is shown once."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the client application, e.g. 「市民通」小程序")
        parser.add_argument("--revoke", action="store_true", help="stop this client's keys (停用该客户端的密钥)")

    def handle(self, *args, name, revoke=False, **options):
        actor = Actor.system("open311-key", permissions=frozenset({GRID_CATEGORY_EDIT}))
        if revoke:
            try:
                stopped = open311_key_revoke(actor=actor, name=name)
            except DomainError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"已停用 {stopped} 个密钥 (revoked {stopped} key(s)) of 「{name.strip()}」")
            return
        try:
            key = open311_key_create(actor=actor, name=name)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"「{name.strip()}」的 api_key（只显示这一次 / shown once, store it now）:")
        self.stdout.write(key)
