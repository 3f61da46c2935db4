"""Facts about the HTTP client, shared by middleware, auth and views."""


def client_address(request) -> str:
    """The client address; behind a proxy the operator sets X-Forwarded-For at the proxy."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", ""))[:64]
