"""Web pages answer a DomainError with a readable page and its status, never a 500."""

from django.shortcuts import render

from linli.core.errors import DomainError


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return render(request, "portal/error.html", {"error": exception}, status=exception.status)
        return None
