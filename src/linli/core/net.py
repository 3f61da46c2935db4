"""Facts about the HTTP client, shared by middleware, auth and views."""

from django.conf import settings


def client_address(request) -> str:
    """The client's address. X-Forwarded-For is believed only when the operator says a proxy sets
    it (LINLI_TRUST_X_FORWARDED_FOR); otherwise any client could forge its address in the audit
    log or reach private-network endpoints."""
    if settings.LINLI_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # the proxy appends the address it saw; earlier entries come from the client
            return forwarded.split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]
