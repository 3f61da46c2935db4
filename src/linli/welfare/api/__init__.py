"""Social assistance over JSON, one router per stage added below. Parse → actor → one service or
selector → schema."""

from ninja import Router

router = Router(tags=["welfare"])
