"""`linli open311-key "CLIENT NAME"`: issue an Open311 api_key to a client application. The key
is printed once; only its hash is stored, so a lost key is replaced by issuing a new one."""

from django.core.management.base import BaseCommand, CommandError

from linli.accounts.domain import GRID_CATEGORY_EDIT
from linli.core.actor import Actor
from linli.core.errors import DomainError
from linli.grid_events.services import open311_key_create


class Command(BaseCommand):
    help = "Issue an Open311 api_key for a client application (发放 Open311 api_key); the key is shown once."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the client application, e.g. 「市民通」小程序")

    def handle(self, *args, name, **options):
        actor = Actor.system("open311-key", permissions=frozenset({GRID_CATEGORY_EDIT}))
        try:
            key = open311_key_create(actor=actor, name=name)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"「{name.strip()}」的 api_key（只显示这一次 / shown once, store it now）:")
        self.stdout.write(key)
