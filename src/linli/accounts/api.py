"""Log-in tokens and the current user."""

from datetime import datetime
from uuid import UUID

from django.utils import translation
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from linli.accounts.selectors import posting_list, token_list
from linli.accounts.services import login_check, token_issue, token_revoke, token_second_factor_check
from linli.core.apitools import ErrorOut, Page
from linli.core.net import client_address
from linli.core.notify import inbox_list, inbox_mark_read

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    name: str = Field("", max_length=80)
    code: str = Field(
        "",
        max_length=20,
        description="Second-factor code (authenticator app, or a recovery code): required for accounts "
        "that can reveal personal data, edit the catalogue, grant roles or read the audit log.",
    )


class TokenOut(Schema):
    id: UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None

    @staticmethod
    def resolve_id(token) -> UUID:
        return token.public_id


class IssuedTokenOut(TokenOut):
    token: str


class PostingOut(Schema):
    role: str
    role_label: str
    place: str
    place_code: str
    scope_path: str


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    permissions: list[str]
    postings: list[PostingOut]
    scope_paths: list[str]
    citywide: bool


@router.post("/auth/token", auth=None, response={201: IssuedTokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut})
def token_create(request, payload: TokenIn):
    """Exchange a username and password (and, where the account needs one, a second-factor code)
    for a bearer token (shown once). 429 while the account or address is locked after failures;
    403 while an administrator-set password is unchanged or the second factor is not set up."""
    address = client_address(request)
    user = login_check(request=request, username=payload.username, password=payload.password)
    token_second_factor_check(user=user, code=payload.code, client_address=address)
    token, raw = token_issue(user=user, client_address=address, name=payload.name)
    token.token = raw
    return Status(201, token)


@router.get("/auth/tokens", response=list[TokenOut])
@paginate(Page)
def tokens(request):
    return token_list(actor=request.actor)


@router.delete("/auth/tokens/{token_id}", response={200: TokenOut, 404: ErrorOut})
def token_delete(request, token_id: UUID):
    """Revoke one of your tokens; it stops working at once."""
    return token_revoke(actor=request.actor, public_id=token_id)


@router.get("/me", response=MeOut, tags=["me"])
def me(request):
    """Who you are: roles, postings and data scope."""
    actor = request.actor
    postings = [
        {
            "role": p.role,
            "role_label": str(p.get_role_display()),
            "place": str(p.org_unit or p.grid or p.department),
            "place_code": (p.org_unit or p.grid or p.department).code,
            "scope_path": p.scope_path,
        }
        for p in posting_list(actor=actor)
    ]
    return {
        "username": actor.username,
        "display_name": actor.display_name,
        "roles": sorted(actor.roles),
        "permissions": sorted(actor.permissions),
        "postings": postings,
        "scope_paths": list(actor.scope_paths),
        "citywide": actor.citywide,
    }


class InboxOut(Schema):
    at: datetime
    kind: str
    text: str
    link: str
    read: bool


@router.get("/me/inbox", response=list[InboxOut], tags=["me"])
def inbox(request):
    """Your latest 50 notifications, newest first, in the language of the request."""
    english = (translation.get_language() or "").startswith("en")
    return [
        {
            "at": m.at,
            "kind": m.kind,
            "text": m.text_en if english else m.text_zh,
            "link": m.link,
            "read": bool(m.read_at),
        }
        for m in inbox_list(user_id=request.actor.user_id)
    ]


@router.post("/me/inbox/read", response={200: dict}, tags=["me"])
def inbox_read(request):
    """Mark all your notifications read."""
    return {"marked": inbox_mark_read(user_id=request.actor.user_id)}
