"""Care services over JSON (`/api/v1/care/…`), one router per stage. Parse → actor → one service or
selector → schema. Schema names must be unique across the whole API (prefix them, e.g. `CareOrderOut`)."""

from ninja import Router

from linli.care.api import children, classes, entitlements, modifications, orders, statements

router = Router(tags=["care"])
for stage in (entitlements, orders, statements, modifications, children, classes):
    router.add_router("", stage.router)
