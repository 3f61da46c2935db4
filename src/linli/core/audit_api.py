"""Search of the audit log (auditor role). Read-only: the log has no write endpoint."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from linli.core.apitools import ErrorOut, Page
from linli.core.selectors import audit_list

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    at: datetime
    actor_name: str
    action: str
    object_type: str
    object_id: str
    org_path: str
    reason: str
    client_address: str
    details: dict


@router.get("/audit", response={200: list[AuditEntryOut], 403: ErrorOut})
@paginate(Page)
def audit_search(
    request,
    action: str = "",
    actor_name: str = "",
    object_type: str = "",
    object_id: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
):
    return audit_list(
        actor=request.actor,
        action=action,
        actor_name=actor_name,
        object_type=object_type,
        object_id=object_id,
        since=since,
        until=until,
    )
