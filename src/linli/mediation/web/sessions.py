"""Safe community, stage sessions (the dispute's sessions, outcome, confirmation and follow-up,
and the mediator's own pages): pages (thin: parse, one service or selector, render)."""

staff_urls: list = []
resident_urls: list = []


def sessions_context(request, dispute) -> dict:
    """What the dispute page's sessions section needs (`staff/disputes/_sessions.html`)."""
    return {}
