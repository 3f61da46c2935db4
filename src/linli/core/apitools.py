"""API plumbing shared by every router: the error shape, pagination and error translation.

Business code never imports this module; only api.py files and config do.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable, ValuesIterable
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PaginationBase
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from linli.core.errors import DomainError, FieldError, Msg, not_found, validation_failed

logger = logging.getLogger("linli.api")

PYDANTIC_MESSAGES = {
    "missing": Msg("必填", "This field is required"),
    "string_too_short": Msg("太短", "Too short"),
    "string_too_long": Msg("太长", "Too long"),
    "int_parsing": Msg("应为整数", "Must be a whole number"),
    "int_type": Msg("应为整数", "Must be a whole number"),
    "string_type": Msg("应为文本", "Must be text"),
    "bool_parsing": Msg("应为 true 或 false", "Must be true or false"),
    "greater_than_equal": Msg("数值太小", "Value too small"),
    "less_than_equal": Msg("数值太大", "Value too large"),
    "json_invalid": Msg("JSON 格式错误", "Malformed JSON"),
    "model_attributes_type": Msg("应为 JSON 对象", "Must be a JSON object"),
    "dict_type": Msg("应为 JSON 对象", "Must be a JSON object"),
    "uuid_parsing": Msg("应为 UUID", "Must be a UUID"),
    "iso_date": Msg(
        "日期应写作 年-月-日，1900–2100 年（如 2026-12-07）",
        "A date is written YYYY-MM-DD, years 1900–2100 (e.g. 2026-12-07)",
    ),
}

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


ISO_YEARS = range(1900, 2101)


def _iso_date_only(value: Any) -> Any:
    """Pydantic also reads a number as seconds since 1970 (`?since=0` would be 1970-01-01): a date
    the API accepts is a date or the text YYYY-MM-DD, nothing else, in years the city's records
    can have (0001-01-01 in local time is before the first UTC day and overflowed a query)."""
    if isinstance(value, str) and ISO_DATE.fullmatch(value) and int(value[:4]) in ISO_YEARS:
        return value
    if isinstance(value, date) and value.year in ISO_YEARS:
        return value
    raise PydanticCustomError("iso_date", "A date is written YYYY-MM-DD, years 1900–2100")


# The type of every date an API endpoint reads (query, form or JSON body).
IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorBody(Schema):
    code: str
    message: str
    fields: list[FieldErrorOut] = []
    details: dict = {}


class ErrorOut(Schema):
    error: ErrorBody


def error_payload(error: DomainError) -> dict[str, Any]:
    language = translation.get_language()
    return {
        "error": {
            "code": error.code,
            "message": error.message.for_language(language),
            "fields": [{"field": f.field, "message": f.message.for_language(language)} for f in error.fields],
        }
        | ({"details": error.details} if error.details else {})
    }


def error_response(error: DomainError) -> JsonResponse:
    return JsonResponse(error_payload(error), status=error.status, json_dumps_params={"ensure_ascii": False})


def _field_name(loc: list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body" and len(parts) > 2:
        parts = parts[2:]
    elif parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def from_validation_error(exc: ValidationError) -> DomainError:
    fields = []
    for err in exc.errors:
        message = PYDANTIC_MESSAGES.get(
            err.get("type", ""), Msg(f"格式不正确：{err.get('msg', '')}", err.get("msg", ""))
        )
        fields.append(FieldError(_field_name(err.get("loc", [])), message))
    return validation_failed(fields)


def _expose_response(api) -> None:
    """Keep Ninja's per-request response (whose headers are copied onto the answer) on the
    request, so helpers such as core.idempotency can add a header without a view parameter."""
    create = api.create_temporal_response

    def create_temporal_response(request: HttpRequest) -> HttpResponse:
        response = create(request)
        request.linli_response = response  # type: ignore[attr-defined]
        return response

    api.create_temporal_response = create_temporal_response


# The error answers any operation can give, declared once for the whole schema (schemathesis
# checks every answer against it in CI): the handlers below produce them for every endpoint, so
# each app's api.py declares only the answers of its own rules (400, 409, a 404 on a body's key…).
VALIDATION_ANSWER = (422, "Validation failed: `error.fields` names each field and says what is wrong")
AUTH_ANSWERS = (
    (401, "Not authenticated: no session, or a missing, expired or revoked bearer token"),
    (403, "Forbidden: a permission, the data scope or a log-in step (password change, second factor) is missing"),
)
PATH_ANSWER = (404, "Not found, or outside the caller's data scope (the same answer)")


def error_answers(operation: dict) -> list[tuple[int, str]]:
    """The answers the shared handlers can give to this OpenAPI operation: 422 when it takes any
    input, 401 and 403 when it needs a log-in, 404 when its path names an object."""
    parameters = operation.get("parameters") or []
    answers = []
    if parameters or operation.get("requestBody"):
        answers.append(VALIDATION_ANSWER)
    if operation.get("security"):
        answers.extend(AUTH_ANSWERS)
    if any(p.get("in") == "path" for p in parameters):
        answers.append(PATH_ANSWER)
    return answers


def declare_error_answers(schema: dict) -> dict:
    """Add `error_answers` to every operation of a generated OpenAPI schema, as `ErrorOut`;
    an answer the operation declares itself is kept as it is."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorOut" not in components:
        spec = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(spec.pop("$defs", {}))
        components["ErrorOut"] = spec
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in error_answers(operation):
                if status not in responses and str(status) not in responses:
                    responses[status] = {"description": description, "content": content}
    return schema


def _declare_in_schema(api) -> None:
    build = api.get_openapi_schema

    def get_openapi_schema(**kwargs):
        return declare_error_answers(build(**kwargs))

    api.get_openapi_schema = get_openapi_schema


def install_error_handlers(api) -> None:
    """Every failure under /api/v1 answers in the one error shape, never an HTML page or a 500,
    and the schema declares those answers on every operation."""
    _expose_response(api)
    _declare_in_schema(api)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_response(exc)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(from_validation_error(exc))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            DomainError(
                Msg("请先登录或提供有效令牌", "Log in or send a valid bearer token"),
                code="not_authenticated",
                status=401,
            )
        )

    @api.exception_handler(MultiPartParserError)
    def bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        why = Msg(
            "请求体不是有效的 multipart/form-data（缺少或错误的 boundary）",
            "The body is not valid multipart/form-data (missing or bad boundary)",
        )
        return error_response(validation_failed([FieldError("body", why)]))

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(not_found())

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and exc.__cause__ is not None:  # Ninja could not parse the body
            return error_response(validation_failed([FieldError("body", PYDANTIC_MESSAGES["json_invalid"])]))
        return error_response(DomainError(Msg(str(exc), str(exc)), code="http_error", status=exc.status_code))

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        from linli.core.outage import database_unavailable, unavailable_response  # it uses error_payload

        if database_unavailable(exc):  # a restart or fail-over: 503 "try again shortly", not a 500
            logger.warning("database unavailable", extra={"path": request.path}, exc_info=exc)
            return unavailable_response(request)
        logger.exception("unhandled API error", extra={"path": request.path})
        return error_response(
            DomainError(
                Msg("服务器内部错误，已记录，请稍后再试", "Internal error; it has been logged"),
                code="internal_error",
                status=500,
            )
        )


MAX_OFFSET = 1_000_000_000


class Page(PaginationBase):
    """`?limit=&offset=` on every list; answers with items, count, limit and offset."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        # bounded so offset + limit stays a 64-bit integer in every database
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    class Output(Schema):
        items: list[Any]
        count: int
        limit: int
        offset: int

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params):
        start, stop = pagination.offset, pagination.offset + pagination.limit
        if isinstance(queryset, QuerySet) and _counts_inline(queryset):
            items, count = _page_with_total(queryset, start, stop)
        else:
            items = list(queryset[start:stop])
            count = len(queryset) if isinstance(queryset, list) else queryset.count()
        return {"items": items, "count": count, "limit": pagination.limit, "offset": pagination.offset}


TOTAL_ALIAS = "_page_total"


def _counts_inline(queryset: QuerySet) -> bool:
    """Whether `COUNT(*) OVER ()` on the page equals `queryset.count()`: plain rows or `.values()`
    dicts, no DISTINCT, GROUP BY, aggregate, set operation or slice of its own."""
    query = queryset.query
    return (
        queryset._iterable_class in (ModelIterable, ValuesIterable)
        and not query.distinct
        and query.group_by is None
        and not query.combinator
        and not query.is_sliced
        and not any(getattr(a, "contains_aggregate", False) for a in query.annotations.values())
    )


def _page_with_total(queryset: QuerySet, start: int, stop: int) -> tuple[list[Any], int]:
    """The page and the total in one query (a window count) instead of two: one round trip less
    on every list (docs/benchmarks.md). A page past the end has no row to carry the total, so it
    falls back to `count()`."""
    rows = list(queryset.annotate(**{TOTAL_ALIAS: Window(Count("*"))})[start:stop])
    if not rows:
        return rows, queryset.count() if start else 0
    if queryset._iterable_class is ValuesIterable:
        total = rows[0][TOTAL_ALIAS]
        for row in rows:
            del row[TOTAL_ALIAS]
    else:
        total = getattr(rows[0], TOTAL_ALIAS)
        for row in rows:
            delattr(row, TOTAL_ALIAS)
    return rows, total


class MappedRows:
    """A lazy sequence for `Page` when rows need more than a schema: only the page's slice is
    read, then each row is turned into a dict by `convert`."""

    def __init__(self, queryset: QuerySet, convert: Callable[[Any], dict]):
        self.queryset, self.convert = queryset, convert

    def __getitem__(self, window: slice) -> list[dict]:
        return [self.convert(row) for row in self.queryset[window]]

    def count(self) -> int:
        return self.queryset.count()


def cached_json(data: Any, *, max_age: int) -> HttpResponse:
    """A JSON answer the browser may keep for `max_age` seconds (map layers: the same view asked
    again while panning back is not fetched again). Private: it went through the caller's login."""
    response = JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    response["Cache-Control"] = f"private, max-age={max_age}"
    return response
