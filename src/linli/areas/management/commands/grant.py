"""`linli grant USERNAME ROLE CODE`: give an account a role at an org unit, grid or department."""

from django.core.management.base import BaseCommand, CommandError

from linli.accounts.domain import Role
from linli.accounts.selectors import user_by_username
from linli.accounts.services import account_grant, posting_end
from linli.areas.selectors import place_get
from linli.core.actor import Actor
from linli.core.errors import DomainError

ROLES = ", ".join(Role.values)


class Command(BaseCommand):
    help = f"Grant (or with --end, end) a role at a place (授予岗位). ROLE is one of: {ROLES}."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role")
        parser.add_argument("code", help="division code of the unit, grid code, or department code")
        parser.add_argument("--create", action="store_true", help="create the account with a random password")
        parser.add_argument("--display-name", default="")
        parser.add_argument("--end", action="store_true", help="end the posting instead of granting it")

    def handle(self, *args, username, role, code, create, display_name, end, **options):
        if role not in Role.values:
            raise CommandError(f"角色「{role}」无效 (unknown role); 可选 (choose from): {ROLES}")
        actor = Actor.system("grant", root_path=code[:2])  # the whole province prefix: any place may be named
        try:
            place = place_get(actor=actor, code=code)
            if end:
                user = user_by_username(username)
                ended = posting_end(actor=actor, user=user, role=role, place=place) if user else 0
                self.stdout.write(f"已结束 {ended} 个岗位 (ended {ended} postings)")
                return
            user, password = account_grant(
                actor=actor, username=username, role=role, place=place, create=create, display_name=display_name
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{username}: {Role(role).label} @ {place}")
        if password:
            self.stdout.write(f"初始密码 (initial password, shown once): {password}")
