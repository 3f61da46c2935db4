"""Open311 GeoReport v2 under /open311/v2/: service discovery, the service list and definitions
(the event categories), service requests (grid events) to read and to post, and tokens.

An interface like api.py and web/: it parses, calls one selector or service and renders; it never
imports the models. Formats, field names and errors are the specification's own (docs/open311.md):
XML and JSON by suffix, every code and id a string, errors as a list of {code, description} with
HTTP 404 for what does not exist, 403 for a missing or wrong api_key and 400 for everything else —
never a 500. Only the events meant for the public are listed (decision 0014), and numbers of
persons in their texts are masked here, at the public boundary (the stored text stays for staff).
"""

from __future__ import annotations

import json
import logging
import math
import re
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import wraps
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.urls import re_path, reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from linli.accounts.domain import GRID_REPORT
from linli.areas.selectors import unit_names
from linli.core.actor import Actor
from linli.core.errors import DomainError, Msg
from linli.core.masking import mask_personal_numbers
from linli.core.net import client_address
from linli.core.outage import RETRY_AFTER_SECONDS, UNAVAILABLE, database_unavailable
from linli.grid_events.domain import ENDED_STATES, Channel, EventState
from linli.grid_events.selectors import (
    category_get,
    category_list,
    event_by_token,
    event_holder_name,
    event_timeline,
    open311_event,
    open311_events,
    open311_key_client,
)
from linli.grid_events.services import ReportInput, event_report

logger = logging.getLogger("linli.open311")

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# The discovery file's sortable "last changed" mark: bump it when this interface changes.
CHANGESET = "2026-11-24T00:00:00+08:00"
FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
DISCOVERY_FORMATS = ["text/xml", "application/json"]
WINDOW = timedelta(days=90)  # the spec's default and largest date range
LIMIT = 1000  # the spec's default volume
DESCRIPTION_MAX = 4000  # the spec's limit (the service keeps its own, lower one)
MAX_BODY_BYTES = 64 * 1024  # a POST is a few form fields; no media upload in GeoReport v2
TEXT_MAX = 500  # each contact field kept (sealed) from a POST
URL_MAX = 2000
ATTRIBUTES_MAX = 50
# Where a service's field error points, in the specification's argument names.
FIELD_NAMES = {
    "lat": "lat",
    "lng": "long",
    "coordinates": "lat",
    "building_id": "address_id",
    "category": "service_code",
    "description": "description",
    "address": "address_string",
}
CONTACT_FIELDS = ("email", "phone", "first_name", "last_name", "device_id", "account_id")
# The XML element of each item of a list, by the list's element name.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
STATUS_NOTES = {
    EventState.REPORTED: Msg("已上报，等待社区立案", "Reported; waiting for the community to register it"),
    EventState.REGISTERED: Msg("已立案，等待派遣或社区自办", "Registered; to be dispatched or handled locally"),
    EventState.DISPATCHED: Msg("已派遣，等待责任部门签收", "Dispatched; waiting for the department to accept it"),
    EventState.HANDLING: Msg("处置中", "Being handled"),
    EventState.HANDLED: Msg("已处置，等待现场核查", "Handled; waiting for verification on site"),
    EventState.CLOSED: Msg("已核查结案", "Verified and closed"),
    EventState.EVALUATED: Msg("已结案并评价", "Closed and rated"),
    EventState.REJECTED: Msg("不予立案", "Not registered"),
    EventState.MERGED: Msg("与已有事件为同一问题，已合并", "Same problem as an earlier request; merged into it"),
}
# Characters XML 1.0 cannot carry (control characters other than tab, newline, return).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What no query or path argument may carry: control characters other than tab and line breaks
# (they match nothing, PostgreSQL refuses NUL in text). A POSTed text keeps them (XML output drops
# them) except NUL, which no database column can hold.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
NUL = re.compile("\x00")
# The dates a request can carry: from the Unix epoch to a year every database and the 90-day
# window arithmetic can represent (year 1 or 9999 would overflow on the way to UTC).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)
W3_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# "+08:00" arrives as " 08:00" when a client forgets to percent-encode the plus sign.
PLUS_AS_SPACE = re.compile(r"^(.*T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")
ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,100})\](\[\])?$")


# ================================================================ errors


@dataclass
class Open311Error(Exception):
    """The specification's error answer: an HTTP status and one or more (code, description)."""

    status: int
    descriptions: list[str]

    def items(self) -> list[dict]:
        return [{"code": str(self.status), "description": d} for d in self.descriptions]


def _both(message: Msg, field: str = "") -> str:
    """Errors are read by client developers and shown to users: both languages, field first."""
    text = f"{message.zh} / {message.en}"
    return f"{field}: {text}" if field else text


def _bad(field: str, zh: str, en: str, status: int = 400) -> Open311Error:
    """One error; `field` names the argument (empty: the request as a whole)."""
    return Open311Error(status, [_both(Msg(zh, en), field)])


def _from_domain(error: DomainError, renamed: dict[str, str]) -> Open311Error:
    status = error.status if error.status in {403, 404} else 400
    if error.fields:
        return Open311Error(status, [_both(f.message, renamed.get(f.field, f.field)) for f in error.fields])
    return Open311Error(status, [_both(error.message)])


# ================================================================ rendering


def _clean(text: str) -> str:
    return XML_INVALID.sub("", text)


def _fill(element: ElementTree.Element, name: str, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), key, item)
    elif isinstance(value, list):
        for item in value:
            _fill(ElementTree.SubElement(element, ITEM_NAMES[name]), ITEM_NAMES[name], item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _clean(str(value))


def _xml(root: str, value) -> bytes:
    element = ElementTree.Element(root)
    _fill(element, root, value)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(element, encoding="unicode").encode()


def _render(fmt: str, root: str, value, status: int = 200) -> HttpResponse:
    """XML keeps the root element; JSON is the Spark mapping: a list root becomes a bare array."""
    body = json.dumps(value, ensure_ascii=False).encode() if fmt == "json" else _xml(root, value)
    return HttpResponse(body, status=status, content_type=FORMATS[fmt])


def _render_error(fmt: str, error: Open311Error) -> HttpResponse:
    return _render(fmt if fmt in FORMATS else "xml", "errors", error.items(), status=error.status)


def _endpoint(methods: tuple[str, ...]):
    """Wrap a view: check the format suffix and the method, turn every failure into an Open311
    error (an unexpected one is logged and answered as the spec's "general service error")."""

    def wrap(view):
        @csrf_exempt
        @wraps(view)
        def run(request: HttpRequest, fmt: str, **kwargs) -> HttpResponse:
            try:
                if fmt not in FORMATS:
                    raise _bad(
                        "format",
                        f"没有「{fmt[:20]}」格式，可用 xml 或 json",
                        f"No '{fmt[:20]}' format: use xml or json",
                        404,
                    )
                if request.method == "OPTIONS":
                    return _options(methods)
                if request.method not in methods:
                    raise _bad("", f"不支持 {request.method} 请求", f"{request.method} is not allowed here")
                _arguments_readable(_query(request), kwargs)
                return view(request, fmt, **kwargs)
            except Open311Error as error:
                return _render_error(fmt, error)
            except DomainError as error:
                return _render_error(fmt, _from_domain(error, FIELD_NAMES))
            except Exception:
                if database_unavailable():  # a restart or fail-over: try again, not a bug
                    response = _render_error(fmt, Open311Error(503, [_both(UNAVAILABLE)]))
                    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
                    return response
                logger.exception("open311 request failed", extra={"path": request.path})
                general = Msg("服务暂时出错，已记录，请稍后再试", "General service error; it has been logged")
                return _render_error(fmt, Open311Error(400, [_both(general)]))

        return run

    return wrap


def _options(methods: tuple[str, ...]) -> HttpResponse:
    """OPTIONS names the methods; a browser's CORS preflight is answered before this, by the
    CORS middleware (settings, decision 0014)."""
    response = HttpResponse(status=200)
    response["Allow"] = ", ".join((*methods, "OPTIONS"))
    return response


def _readable(name: str, value: str, forbidden: re.Pattern = CONTROL) -> None:
    if forbidden.search(value):
        raise _bad(name, "含有不允许的控制字符", "contains control characters that are not allowed")


def _arguments_readable(params: QueryDict, path_arguments: dict, forbidden: re.Pattern = CONTROL) -> None:
    """Every argument, in the query, the path or the form, is text a database can hold."""
    for name, value in path_arguments.items():
        _readable(name, value, forbidden)
    for name, values in params.lists():
        for value in values:
            _readable(name[:40], value, forbidden)


def _query(request: HttpRequest) -> QueryDict:
    try:
        return request.GET
    except (TooManyFieldsSent, SuspiciousOperation):
        raise _bad("", "查询参数过多", "Too many query parameters") from None


def _param(params: QueryDict, name: str) -> str:
    """Optional arguments: empty means absent (the spec's rule)."""
    return (params.get(name) or "").strip()


def _listed(params: QueryDict, name: str) -> list[str]:
    """A comma-delimited argument that may also be declared several times."""
    values = [v for raw in params.getlist(name) for v in raw.split(",")]
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


# ================================================================ what the records look like


def _w3(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _service(category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{category.major_name} / {category.name}",
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": category.major_name,
    }


def _status(event) -> str:
    return "closed" if event.state in ENDED_STATES else "open"


def _status_notes(event) -> str:
    note = STATUS_NOTES.get(event.state, Msg(event.state, event.state))
    if event.state == EventState.REJECTED:
        reason = next((r.note for r in reversed(event_timeline(event)) if r.action == "reject"), "")
        if reason:
            note = Msg(f"{note.zh}：{reason}", f"{note.en}: {reason}")
    elif event.state == EventState.MERGED and event.duplicate_of_id:
        original = event.duplicate_of.number
        note = Msg(f"与 {original} 为同一问题，已合并", f"Same problem as {original}; merged into it")
    return mask_personal_numbers(str(note))


def _service_notice(event) -> str | None:
    if event.state == EventState.REPORTED and event.register_due_at:
        when = _local(event.register_due_at)
        return str(Msg(f"社区将于 {when} 前受理", f"The community will register it by {when}"))
    if event.state not in ENDED_STATES and event.handle_due_at:
        when = _local(event.handle_due_at)
        return str(Msg(f"要求于 {when} 前处置完毕", f"To be handled by {when}"))
    return None


def _updated(event) -> datetime:
    """For a closed request the spec wants the date it was closed."""
    if event.state in {EventState.CLOSED, EventState.EVALUATED} and event.closed_at:
        return event.closed_at
    if event.state in {EventState.REJECTED, EventState.MERGED} and event.registered_at:
        return event.registered_at
    return event.updated_at


def _address(event) -> str | None:
    if event.address:
        return mask_personal_numbers(event.address)
    if event.building_id:
        return event.building.address or event.building.name
    return None


def _request(event, agency: str) -> dict:
    """One service request as the spec lists its fields. Never the reporter's name or contact,
    never the photos (media_url stays empty: residents' photos may show faces); ID and phone
    numbers written into the description, the address or a rejection's reason are masked."""
    return {
        "service_request_id": event.number,
        "status": _status(event),
        "status_notes": _status_notes(event),
        "service_name": event.category.name if event.category_id else "",
        "service_code": event.category.code if event.category_id else "",
        "description": mask_personal_numbers(event.description),
        "agency_responsible": agency,
        "service_notice": _service_notice(event),
        "requested_datetime": _w3(event.reported_at),
        "updated_datetime": _w3(_updated(event)),
        "expected_datetime": _w3(event.handle_due_at),
        "address": _address(event),
        "address_id": str(event.building.public_id) if event.building_id else None,
        "zipcode": None,
        "lat": round(event.lat, 6),
        "long": round(event.lng, 6),
        "media_url": None,
    }


def _requests(events: list) -> list[dict]:
    """Many requests with one query for the holding units' names."""
    names = unit_names({e.holder_path for e in events if not e.holder_department_id})
    return [
        _request(e, e.holder_department.name if e.holder_department_id else names.get(e.holder_path, e.holder_path))
        for e in events
    ]


# ================================================================ discovery and services


@_endpoint(("GET", "HEAD"))
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311-discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0]
    contact = getattr(settings, "LINLI_OPEN311_CONTACT", "") or str(
        Msg("本市网格化服务管理中心", "The city's grid management centre")
    )
    key_service = str(
        Msg(
            "向平台运维人员申请 api_key（运维用命令 linli open311-key 发放）",
            "Ask the platform's operators for an api_key (they issue it with `linli open311-key`)",
        )
    )
    endpoint = {
        "specification": SPECIFICATION,
        "url": base,
        "changeset": CHANGESET,
        "type": "test" if settings.DEBUG else "production",
        "formats": DISCOVERY_FORMATS,
    }
    document = {"changeset": CHANGESET, "contact": contact, "key_service": key_service, "endpoints": [endpoint]}
    return _render(fmt, "discovery", document)


@_endpoint(("GET", "HEAD"))
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return _render(fmt, "services", [_service(c) for c in category_list()])


def _category(code: str):
    if not code.strip():
        raise _bad("service_code", "请提供 service_code", "service_code was not provided")
    category = category_get(code)
    if category is None or not category.is_active:
        raise _bad("service_code", f"没有服务「{code[:60]}」", f"service_code '{code[:60]}' was not found", 404)
    return category


@_endpoint(("GET", "HEAD"))
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    """Our services need no extra attributes (metadata=false): the definition lists none."""
    category = _category(service_code)
    return _render(fmt, "service_definition", {"service_code": category.code, "attributes": []})


# ================================================================ reading requests


def _moment(name: str, raw: str) -> datetime:
    """A w3 datetime with its timezone (a bare date counts from local midnight)."""
    text = PLUS_AS_SPACE.sub(r"\1+\2", raw)
    problem = _bad(
        name,
        f"「{raw[:40]}」不是带时区的 W3C 日期时间，例如 2026-11-01T00:00:00+08:00",
        f"'{raw[:40]}' is not a W3C datetime with a timezone, e.g. 2026-11-01T00:00:00Z",
    )
    try:
        if W3_DATE_ONLY.match(text):
            moment = datetime.combine(date.fromisoformat(text), time.min, tzinfo=timezone.get_current_timezone())
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise problem from None
    if moment.tzinfo is None:
        raise problem
    if not EARLIEST <= moment < LATEST:
        raise _bad(
            name,
            f"「{raw[:40]}」超出可查询的日期范围（1970-01-01 至 9998-12-31）",
            f"'{raw[:40]}' is outside the dates that can be searched (1970-01-01 to 9998-12-31)",
        )
    return moment


def _window(params: QueryDict) -> tuple[datetime, datetime]:
    start_raw, end_raw = _param(params, "start_date"), _param(params, "end_date")
    start = _moment("start_date", start_raw) if start_raw else None
    end = _moment("end_date", end_raw) if end_raw else None
    # Both are within EARLIEST..LATEST, so the 90 days either side cannot overflow.
    if start and end:
        if end < start:
            raise _bad("end_date", "end_date 早于 start_date", "end_date is before start_date")
        if end - start > WINDOW:
            raise _bad("end_date", "查询范围不能超过 90 天", "The date range may not span more than 90 days")
        return start, end
    if start:
        return start, start + WINDOW
    if end:
        return end - WINDOW, end
    now = timezone.now()
    return now - WINDOW, now


def _states(params: QueryDict) -> list[str] | None:
    statuses = {s.lower() for s in _listed(params, "status")}
    if not statuses:
        return None
    if not statuses <= {"open", "closed"}:
        raise _bad("status", "status 应为 open 或 closed", "status must be open or closed")
    if statuses == {"open", "closed"}:
        return None
    closed = statuses == {"closed"}
    return [s for s in EventState.values if (s in ENDED_STATES) == closed]


def _request_list(params: QueryDict) -> list:
    events = open311_events()
    ids = [i.upper() for i in _listed(params, "service_request_id")][:LIMIT]
    if ids:  # the spec: this overrides all other arguments
        events = events.filter(number__in=ids)
    else:
        start, end = _window(params)
        events = events.filter(reported_at__gte=start, reported_at__lte=end)
        codes = [c.upper() for c in _listed(params, "service_code")]
        if codes:
            events = events.filter(category__code__in=codes)
        states = _states(params)
        if states is not None:
            events = events.filter(state__in=states)
    return list(events.order_by("-reported_at", "-pk")[:LIMIT])


def _event_or_404(number: str):
    """A request that is not public does not exist for the public: the same 404 as an unknown one."""
    if not number.strip():
        raise _bad("service_request_id", "请提供 service_request_id", "service_request_id was not provided")
    event = open311_event(number)
    if event is None:
        raise _bad(
            "service_request_id",
            f"没有服务请求「{number[:60]}」",
            f"service_request_id '{number[:60]}' was not found",
            404,
        )
    return event


@_endpoint(("GET", "HEAD"))
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    event = _event_or_404(request_id)
    return _render(fmt, "service_requests", [_request(event, event_holder_name(event))])


@_endpoint(("GET", "HEAD"))
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    if not token.strip():
        raise _bad("token", "请提供 token", "token was not provided")
    try:
        event = event_by_token(uuid.UUID(token.strip()))
    except ValueError:
        event = None
    if event is None:
        raise _bad("token", f"没有 token「{token[:60]}」", f"token '{token[:60]}' was not found", 404)
    return _render(fmt, "service_requests", [{"service_request_id": event.number, "token": str(event.open311_token)}])


# ================================================================ posting a request


def _form(request: HttpRequest) -> QueryDict:
    content_type = request.content_type or ""
    if content_type not in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        raise _bad(
            "",
            "请以 application/x-www-form-urlencoded 表单提交",
            "Send the request as application/x-www-form-urlencoded",
        )
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    too_big = _bad("", "请求体过大（上限 64 KB）", "The request body is too large (64 KB at most)")
    if length > MAX_BODY_BYTES:
        raise too_big
    try:
        form = request.POST
    except (RequestDataTooBig, TooManyFieldsSent):
        raise too_big from None
    except (MultiPartParserError, SuspiciousOperation, UnicodeDecodeError):
        raise _bad("", "表单格式错误", "Malformed form body") from None
    _arguments_readable(form, {}, NUL)
    return form


def _coordinate(form: QueryDict, name: str) -> tuple[float | None, str | None]:
    raw = _param(form, name)
    if not raw:
        return None, None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return None, _both(Msg(f"「{raw[:40]}」不是数字", f"'{raw[:40]}' is not a number"), name)
    return value, None


def _location(form: QueryDict) -> tuple[float | None, float | None, list[str]]:
    lat, lat_problem = _coordinate(form, "lat")
    lng, lng_problem = _coordinate(form, "long")
    problems = [p for p in (lat_problem, lng_problem) if p]
    if problems:
        return None, None, problems
    if (lat is None) != (lng is None):
        missing = "long" if lng is None else "lat"
        return None, None, [_both(Msg("lat 与 long 须同时提供", "lat and long must both be sent"), missing)]
    if lat is None and not _param(form, "address_id"):
        if _param(form, "address_string"):
            message = Msg(
                "暂不能仅凭地址文字定位，请同时提供 lat/long 或 address_id",
                "An address_string alone cannot be placed on the map yet: send lat/long or address_id too",
            )
            return None, None, [_both(message, "address_string")]
        message = Msg(
            "请提供位置：lat 与 long、address_string 或 address_id",
            "A location is required: lat & long, address_string or address_id",
        )
        return None, None, [_both(message, "lat")]
    return lat, lng, []


def _attributes(form: QueryDict) -> dict:
    found: dict = {}
    for key in form:
        match = ATTRIBUTE.match(key)
        if match and len(found) < ATTRIBUTES_MAX:
            values = [v[:TEXT_MAX] for v in form.getlist(key)]
            found[match.group(1)] = values if match.group(2) else values[-1]
    return found


def _reporter_name(first: str, last: str) -> str:
    """Chinese names put the family name first, without a space."""
    if first and last and all(re.search(r"[\u4e00-\u9fff]", n) for n in (first, last)):
        return f"{last}{first}"
    return " ".join(n for n in (first, last) if n)


def _contact(form: QueryDict) -> dict:
    """What the reporter told us about themselves, sealed with the event, never shown by GET.
    media_url is kept here as text too: we never fetch it, and it may show a face."""
    contact = {name: _param(form, name)[:TEXT_MAX] for name in CONTACT_FIELDS if _param(form, name)}
    if _param(form, "media_url"):
        contact["media_url"] = _param(form, "media_url")[:URL_MAX]
    attributes = _attributes(form)
    if attributes:
        contact["attributes"] = attributes
    return contact


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    form = _form(request)
    client = open311_key_client(_param(form, "api_key") or _param(request.GET, "api_key"))
    if client is None:
        raise _bad("api_key", "缺少或无效的 api_key", "Missing or invalid api_key", 403)
    category = _category(_param(form, "service_code"))
    lat, lng, problems = _location(form)
    description = _param(form, "description")
    if len(description) > DESCRIPTION_MAX:
        problems.append(_both(Msg("描述不能超过 4000 字", "At most 4,000 characters"), "description"))
    if problems:
        raise Open311Error(400, problems)
    token = uuid.uuid4()
    data = ReportInput(
        description=description or category.name,  # optional in Open311: the service names the problem
        lat=lat,
        lng=lng,
        coordinates="wgs84",
        category_code=category.code,
        address=_param(form, "address_string"),
        building_id=_param(form, "address_id"),
        channel=Channel.OPEN311,
        not_duplicate=True,  # the community resolves duplicates when it registers the event
        reporter_name=_reporter_name(_param(form, "first_name"), _param(form, "last_name")),
        contact=_contact(form),
        open311_token=token,
    )
    actor = replace(
        Actor.system(f"open311:{client}", permissions=frozenset({GRID_REPORT})),
        client_address=client_address(request),
    )
    renamed = FIELD_NAMES if lat is not None else FIELD_NAMES | {"lat": "address_id", "lng": "address_id"}
    try:
        event = event_report(actor=actor, data=data)
    except DomainError as error:
        raise _from_domain(error, renamed) from None
    answer = {"service_request_id": event.number, "token": str(token), "service_notice": _service_notice(event)}
    if _param(form, "account_id"):  # echoed when sent; the spec lets it be absent, never null
        answer["account_id"] = _param(form, "account_id")[:TEXT_MAX]
    return _render(fmt, "service_requests", [answer])


@_endpoint(("GET", "HEAD", "POST"))
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post(request, fmt)
    return _render(fmt, "service_requests", _requests(_request_list(request.GET)))


@csrf_exempt
def missing(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything else under /open311/v2/ is a resource that does not exist: a 404 in the spec's
    error format (JSON when the path asks for it, else XML, the required format)."""
    fmt = "json" if request.path.endswith(".json") else "xml"
    what = Msg("没有这个资源", "No such resource")
    return _render_error(fmt, Open311Error(404, [_both(what)]))


FMT = r"\.(?P<fmt>[^./]+)$"
urlpatterns = [
    re_path(r"^discovery" + FMT, discovery, name="open311-discovery"),
    re_path(r"^services" + FMT, services, name="open311-services"),
    re_path(r"^services/(?P<service_code>[^/]*?)" + FMT, service_definition, name="open311-service"),
    re_path(r"^requests" + FMT, service_requests, name="open311-requests"),
    re_path(r"^requests/(?P<request_id>[^/]*?)" + FMT, request_detail, name="open311-request"),
    re_path(r"^tokens/(?P<token>[^/]*?)" + FMT, token_detail, name="open311-token"),
    re_path(r"^(?P<rest>.*)$", missing),
]
