"""Safe community over JSON (`/api/v1/mediation/…`), one router per stage. Parse → actor → one
service or selector → schema. Schema names must be unique across the whole API (prefix them,
e.g. `MediationDisputeOut`)."""

from ninja import Router

from linli.mediation.api import disputes, mediators, reasoning, safety, screening, sessions, support

router = Router(tags=["mediation"])
for stage in (disputes, sessions, mediators, screening, reasoning, safety, support):
    router.add_router("", stage.router)
