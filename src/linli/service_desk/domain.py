"""Rules of the service desk with no ORM: case states and the transitions between them, routing
levels, materials, 好差评 levels, notification texts and the
reading of the reference catalogue's free-text time limits.

The transition table is the workflow: services look an action up here, check the permission it
names against the actor and the state it starts from against the locked row, and write one event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from linli.accounts.domain import DESK_ACCEPT, DESK_APPLY, DESK_DECIDE
from linli.core.errors import Msg


class CaseState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    IN_REVIEW = "in_review", _("In review")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Awaiting supplement")
    DECIDED = "decided", _("Decided")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    RATED = "rated", _("Rated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which the time limit runs (awaiting a supplement pauses it).
RUNNING_STATES = frozenset({CaseState.ACCEPTED, CaseState.IN_REVIEW})
OPEN_STATES = frozenset(
    {CaseState.SUBMITTED, CaseState.ACCEPTED, CaseState.IN_REVIEW, CaseState.AWAITING_SUPPLEMENT, CaseState.DECIDED}
)
FINISHED_STATES = frozenset({CaseState.DELIVERED, CaseState.CLOSED, CaseState.RATED})


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class Channel(models.TextChoices):
    WINDOW = "window", _("At the window")
    ONLINE = "online", _("Online")
    PROXY = "proxy", _("By proxy")
    HOME = "home", _("At home")
    SELF_SERVICE = "self_service", _("Self-service terminal")


STAFF_CHANNELS = frozenset({Channel.WINDOW, Channel.PROXY, Channel.HOME})
RESIDENT_CHANNELS = frozenset({Channel.ONLINE, Channel.SELF_SERVICE})


class ItemType(models.TextChoices):
    """政务服务事项类型 codes as used by provincial platforms and the 好差评 interface."""

    LICENSING = "01", _("Administrative licensing")
    PENALTY = "02", _("Administrative penalty")
    ENFORCEMENT = "03", _("Administrative enforcement")
    LEVY = "04", _("Administrative levy")
    BENEFIT = "05", _("Administrative benefit")
    INSPECTION = "06", _("Administrative inspection")
    CONFIRMATION = "07", _("Administrative confirmation")
    REWARD = "08", _("Administrative reward")
    RULING = "09", _("Administrative ruling")
    OTHER_POWER = "10", _("Other administrative power")
    PUBLIC_SERVICE = "20", _("Public service")
    INTERNAL = "30", _("Internal government approval")
    CONVENIENCE = "31", _("Convenience service on application")
    THEMED = "32", _("Themed service")
    OTHER = "99", _("Other")


class DecidingLevel(models.TextChoices):
    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street or town")
    DISTRICT = "district", _("District or county")
    CITY = "city", _("City")


# How many leading characters of a home path name the deciding unit at each level.
LEVEL_PATH_LENGTH = {
    DecidingLevel.COMMUNITY: 12,
    DecidingLevel.STREET: 9,
    DecidingLevel.DISTRICT: 6,
    DecidingLevel.CITY: 4,
}


class MaterialStatus(models.TextChoices):
    PROVIDED = "provided", _("Provided")
    POOL_HELD = "pool_held", _("Held by the government (not needed)")
    DEFERRED = "deferred", _("Promised later (容缺)")
    MISSING = "missing", _("Missing")


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("Picked up at the window")
    POST = "post", _("By post")
    ONLINE = "online", _("Electronic result")
    HOME = "home", _("Brought home")


class RatingLevel(models.IntegerChoices):
    """GB/T 39735 five levels; the two lowest are 差评 (bad ratings)."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASICALLY_SATISFIED = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


BAD_RATING_MAX = 2


def is_bad_rating(score: int) -> bool:
    return score <= BAD_RATING_MAX


class RatingChannel(models.TextChoices):
    WINDOW_TABLET = "window_tablet", _("Window tablet")
    ONLINE = "online", _("Online")
    SMS = "sms", _("SMS link")


class RectificationState(models.TextChoices):
    OPEN = "open", _("Being rectified")
    CLOSED = "closed", _("Closed")


class RectificationVerdict(models.TextChoices):
    RECTIFIED = "rectified", _("Rectified at once")
    EXPLAINED = "explained", _("Explained (no legal basis to change)")
    MISTAKEN = "mistaken", _("Mistaken or malicious rating (reviewed)")


class FollowUpMethod(models.TextChoices):
    CALL = "call", _("Phone call")
    VISIT = "visit", _("Visit")
    MESSAGE = "message", _("Message")


class HandoffStep(models.TextChoices):
    RECEIVED = "received", _("Received at the window (收件)")
    SENT = "sent", _("Sent to the deciding office (流转)")
    ARRIVED = "arrived", _("Signed for by the deciding office")
    RETURNED = "returned", _("Result file sent back (出件)")
    HANDED_OVER = "handed_over", _("Handed to the applicant")


# Which unit holds the paper after each step: the accepting window or the deciding office.
HANDOFF_HOLDER = {
    HandoffStep.RECEIVED: "accepted",
    HandoffStep.SENT: "accepted",
    HandoffStep.ARRIVED: "handling",
    HandoffStep.RETURNED: "accepted",
    HandoffStep.HANDED_OVER: "accepted",
}
HANDOFF_NEXT = {
    "": [HandoffStep.RECEIVED],
    HandoffStep.RECEIVED: [HandoffStep.SENT],
    HandoffStep.SENT: [HandoffStep.ARRIVED],
    HandoffStep.ARRIVED: [HandoffStep.RETURNED],
    HandoffStep.RETURNED: [HandoffStep.HANDED_OVER],
    HandoffStep.HANDED_OVER: [],
}

UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_TYPES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}


class ProxyConsentMethod(models.TextChoices):
    SIGNED = "signed", _("Signed authorisation form")
    FINGERPRINT = "fingerprint", _("Fingerprint on the form")
    RECORDED = "recorded", _("Recorded verbal consent")


# ---------------------------------------------------------------- the workflow as data


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    permission: str  # checked against the actor; DESK_APPLY means "the applicant themself"
    where: str  # which path of the case the actor must see: "accepted", "handling" or "applicant"
    label: Msg


def _t(action, sources, target, permission, where, zh, en) -> Transition:
    return Transition(action, frozenset(sources), target, permission, where, Msg(zh, en))


S = CaseState
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("accept", {S.SUBMITTED}, S.ACCEPTED, DESK_ACCEPT, "accepted", "受理", "Accept"),
        _t("refuse", {S.SUBMITTED}, S.REFUSED, DESK_ACCEPT, "accepted", "不予受理", "Refuse"),
        _t("start_review", {S.ACCEPTED}, S.IN_REVIEW, DESK_DECIDE, "handling", "签收审核", "Start review"),
        _t(
            "request_supplement",
            {S.IN_REVIEW},
            S.AWAITING_SUPPLEMENT,
            DESK_DECIDE,
            "handling",
            "要求补正",
            "Request supplement",
        ),
        _t("supply", {S.AWAITING_SUPPLEMENT}, S.IN_REVIEW, DESK_ACCEPT, "accepted", "补正材料", "Supply material"),
        _t("decide", {S.IN_REVIEW}, S.DECIDED, DESK_DECIDE, "handling", "作出决定", "Decide"),
        _t("deliver", {S.DECIDED}, S.DELIVERED, DESK_ACCEPT, "accepted", "送达结果", "Deliver result"),
        _t("close", {S.DELIVERED}, S.CLOSED, DESK_ACCEPT, "accepted", "办结归档", "Close"),
        _t("rate", {S.DELIVERED, S.CLOSED}, S.RATED, DESK_APPLY, "applicant", "评价", "Rate"),
        _t(
            "withdraw",
            {S.SUBMITTED, S.ACCEPTED, S.IN_REVIEW, S.AWAITING_SUPPLEMENT},
            S.WITHDRAWN,
            DESK_APPLY,
            "applicant",
            "撤回申请",
            "Withdraw",
        ),
    )
}
# The applicant may also answer a supplement request and rate at the window through staff.
APPLICANT_ACTIONS = frozenset({"supply", "rate", "withdraw"})


SUBMIT_LABEL = Msg("提交申请", "Submitted")


def action_label(action: str) -> Msg:
    transition = TRANSITIONS.get(action)
    return transition.label if transition else SUBMIT_LABEL if action == "submit" else Msg(action, action)


def transition_for(action: str) -> Transition | None:
    return TRANSITIONS.get(action)


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]


def actions_from(state: str) -> list[str]:
    return [t.action for t in transitions_from(state)]


# ---------------------------------------------------------------- due dates
# (working days are counted on linli.workdays' calendar)
DUE_SOON_WORKING_DAYS = 2


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    return day.replace(year=day.year + years, day=28 if (day.month, day.day) == (2, 29) else day.day)


# ---------------------------------------------------------------- catalogue
@dataclass(frozen=True)
class Material:
    key: str
    name: str
    required: bool = True
    original: bool = False  # original to be seen (else a copy)
    pool_held: bool = False  # 免提交: the pool already holds it
    deferrable: bool = False  # 容缺: may be promised for later when the item allows it
    name_en: str = ""  # the English name, shown on English pages (Chinese where missing)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "required": self.required,
            "original": self.original,
            "pool_held": self.pool_held,
            "deferrable": self.deferrable,
            "name_en": self.name_en,
        }

    @property
    def label(self) -> str:
        return in_page_language(self.name, self.name_en)


def in_page_language(zh: str, en: str) -> str:
    """The English text on an English page when there is one, the Chinese text otherwise."""
    return en if en and (get_language() or "").startswith("en") else zh


# ---------------------------------------------------------------- catalogue themes and guides
class Category(models.TextChoices):
    """Themes residents look for, not the legal item types: 高龄津贴 is a benefit (给付) legally,
    but a family looks for it under elderly care."""

    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    ELDERLY = "elderly", _("Elderly care")
    DISABILITY = "disability", _("Disability services")
    CHILDREN = "children", _("Children")
    EMPLOYMENT = "employment", _("Jobs and business start-up")
    SOCIAL_INSURANCE = "social_insurance", _("Pension and medical insurance")
    FAMILY = "family", _("Births and family planning")
    VETERANS = "veterans", _("Veterans")
    RESIDENCE = "residence", _("Residence and housing")
    LEGAL = "legal", _("Disputes and legal aid")
    CERTIFICATES = "certificates", _("Certificates")


# A contact phone: digits, with optional area code, hyphens, spaces or an extension.
PHONE_RE = re.compile(r"^[0-9][0-9 \-]{2,18}[0-9](?:\s*(?:转|ext\.?)\s*[0-9]{1,6})?$")
GUIDE_STEPS_MAX = 20
GUIDE_TEXT_MAX = 1000


@dataclass(frozen=True)
class GuideStep:
    name: str
    name_en: str = ""

    @property
    def label(self) -> str:
        return in_page_language(self.name, self.name_en)


@dataclass(frozen=True)
class Question:
    """A common question of a guide (常见问题) with its answer."""

    q: str
    a: str
    q_en: str = ""
    a_en: str = ""

    # Both halves in English or both in Chinese: never an English question with a Chinese answer.
    @property
    def question(self) -> str:
        return in_page_language(self.q, self.q_en if self.a_en else "")

    @property
    def answer(self) -> str:
        return in_page_language(self.a, self.a_en if self.q_en else "")


@dataclass(frozen=True)
class FormFile:
    """A blank or sample form residents may download: a file shipped with the catalogue data
    (`file` is a bare name) or uploaded by a catalogue editor (`file` is `upload/<sha256>.<ext>`)."""

    name: str
    file: str
    name_en: str = ""

    @property
    def label(self) -> str:
        return in_page_language(self.name, self.name_en)

    @property
    def kind(self) -> str:
        return self.file.rpartition(".")[2].upper()


# Forms residents download: PDF, Word and Excel. Word and Excel files are ZIP archives; the part
# inside names which one it is.
FORM_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORM_ZIP_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
FORM_MAX_BYTES = 5 * 1024 * 1024


# Materials the resident pool already holds for a registered resident: ID card data and the
# household register. Marked 免提交 at import; admins may change it per item.
POOL_HELD_WORDS = ("身份证", "户口簿", "居民户口")
# The application form and the identity of the applicant are never deferrable (key materials).
KEY_MATERIAL_WORDS = ("申请书", "申请表", "申请审批表", "身份证", "授权书")
OPTIONAL_MARKERS = ("（按需）", "(按需)", "按需")

DAYS_RE = re.compile(r"(\d+)\s*(?:个)?工作日")
CALENDAR_DAYS_RE = re.compile(r"(\d+)\s*日内")
INSTANT_WORDS = ("即办",)
DEFAULT_PROMISED_DAYS = 20


@dataclass(frozen=True)
class TimeLimit:
    days: int
    verified: bool


def parse_time_limit(text: str) -> TimeLimit | None:
    """Read a reference cell like "30工作日 (+15)", "即办 (unverified)" or "≤20工作日". The first
    number of working days wins; "即办" is 0; calendar days ("15日内") count as working days (a
    conservative reading); a cell saying "unverified" is kept but flagged; none found gives None."""
    text = (text or "").strip()
    if not text:
        return None
    verified = "unverified" not in text
    if any(word in text for word in INSTANT_WORDS):
        return TimeLimit(0, verified)
    for pattern in (DAYS_RE, CALENDAR_DAYS_RE):
        match = pattern.search(text)
        if match:
            return TimeLimit(int(match.group(1)), verified)
    return None


def reference_note(text: str) -> str:
    """A note of the reference catalogue in a reader's words: its research markers ("local": the
    figure differs by place, "(typical)", "(unverified)") are for whoever maintains the data, and
    reached residents as "年满80周岁（标准分档 local）"."""
    text = re.sub(r"\s*\(typical\)", "（常见标准，以当地规定为准）", text)
    text = re.sub(r"\s*\((?:unverified|secondary)\)", "", text)
    text = re.sub(r"\s+local\s*）", "，以当地规定为准）", text)
    text = re.sub(r"\s+local\b", "（以当地规定为准）", text)
    return text.strip()


def materials_from_text(text: str) -> list[Material]:
    """Split a reference materials cell ("申请书；身份证、户口簿；…") into a checklist."""
    materials: list[Material] = []
    for number, raw in enumerate(re.split(r"[；;]", text or ""), start=1):
        name = raw.strip()
        if not name:
            continue
        optional = any(marker in name for marker in OPTIONAL_MARKERS)
        for marker in OPTIONAL_MARKERS:
            name = name.replace(marker, "")
        materials.append(
            Material(
                key=f"m{number}",
                name=name.strip(),
                required=not optional,
                original="原件" in name,
                pool_held=any(word in name for word in POOL_HELD_WORDS) and "证明" not in name,
                deferrable=not any(word in name for word in KEY_MATERIAL_WORDS),
            )
        )
    return materials


# ---------------------------------------------------------------- case numbers
def case_number(district_code: str, day: date, sequence: int) -> str:
    """`210102-20261125-00017`: accepting district, day, the day's sequence in that district.
    Readable over the phone and unique by construction (the counter row is locked)."""
    return f"{district_code}-{day:%Y%m%d}-{sequence:05d}"


# ---------------------------------------------------------------- notification texts
NOTICES: dict[str, Msg] = {
    "submitted": Msg(
        "您的「{item}」申请已提交，办件号 {number}，社区将尽快受理。",
        "Your application for {item} was submitted as {number}; the community will accept it soon.",
    ),
    "accepted": Msg(
        "您的「{item}」申请已受理，办件号 {number}，承诺 {due} 前办结。",
        "Your application for {item} ({number}) was accepted and is due by {due}.",
    ),
    "refused": Msg(
        "您的「{item}」申请（{number}）未予受理：{note}",
        "Your application for {item} ({number}) was not accepted: {note}",
    ),
    "supplement_requested": Msg(
        "办件 {number}「{item}」需要补正材料：{note}。补正期间办理时限暂停。",
        "Case {number} ({item}) needs more material: {note}. The time limit is paused meanwhile.",
    ),
    "decided": Msg(
        "办件 {number}「{item}」已办理完毕，结果：{decision}。",
        "Case {number} ({item}) has been decided: {decision}.",
    ),
    "delivered": Msg(
        "办件 {number}「{item}」的结果已送达，欢迎对本次服务进行评价。",
        "The result of case {number} ({item}) was delivered; please rate the service.",
    ),
    "supplied": Msg(
        "办件 {number} 已补正材料，时限恢复计算，新的到期日 {due}。",
        "Case {number} was supplemented; the clock runs again, now due {due}.",
    ),
    "due_soon": Msg(
        "办件 {number}「{item}」将于 {due} 到期，请抓紧办理。",
        "Case {number} ({item}) is due on {due}; please finish it in time.",
    ),
    "overdue": Msg(
        "办件 {number}「{item}」已超期（应于 {due} 办结），请立即办理。",
        "Case {number} ({item}) is overdue (was due {due}); please act now.",
    ),
    "rating_invite": Msg(
        "您的办件 {number}「{item}」已办结，请花一分钟对本次服务进行评价。",
        "Your case {number} ({item}) is finished; please take a minute to rate the service.",
    ),
    "bad_rating": Msg(
        "办件 {number}「{item}」收到差评，请于 {due} 前完成回访整改。",
        "Case {number} ({item}) received a bad rating; follow up and rectify by {due}.",
    ),
}

DECISION_WORDS: dict[str, Msg] = {
    Decision.APPROVED: Msg("准予", "approved"),
    Decision.DENIED: Msg("不予批准", "denied"),
}

RATING_INVITE_AFTER_DAYS = 3  # 办结超过3天未评价→邀评 (practice in 亳州 and elsewhere)


# ---------------------------------------------------------------- what a resident sees of progress
# A withdrawn or refused application may be applied for again from its page, with what was given.
REAPPLY_STATES = frozenset({CaseState.WITHDRAWN, CaseState.REFUSED})


@dataclass(frozen=True)
class ProgressStep:
    key: str
    label: Msg
    states: frozenset[str]  # the case is at this step while in one of these states


PROGRESS_STEPS: tuple[ProgressStep, ...] = (
    ProgressStep("submitted", Msg("提交申请", "Applied"), frozenset({CaseState.SUBMITTED})),
    ProgressStep("accepted", Msg("社区受理", "Accepted"), frozenset({CaseState.ACCEPTED})),
    ProgressStep(
        "review", Msg("审核办理", "In review"), frozenset({CaseState.IN_REVIEW, CaseState.AWAITING_SUPPLEMENT})
    ),
    ProgressStep("decided", Msg("作出决定", "Decided"), frozenset({CaseState.DECIDED})),
    ProgressStep("finished", Msg("办结", "Finished"), frozenset(FINISHED_STATES)),
)


def progress_position(state: str, *, accepted: bool = False, reviewed: bool = False) -> tuple[int, bool]:
    """(index of the step the case has reached, whether it stopped there). A withdrawn or refused
    case stopped at the furthest step it reached: refused at intake, withdrawn wherever it was
    (known from whether it had been accepted and taken into review)."""
    for index, step in enumerate(PROGRESS_STEPS):
        if state in step.states:
            return index, False
    if state == CaseState.REFUSED:
        return 0, True
    return (2 if reviewed else 1 if accepted else 0), True


# 一次性告知书: the applicant is given this many working days to bring what is missing.
NOTICE_WORKING_DAYS = 10


def notice_number(district_code: str, day: date, sequence: int) -> str:
    """`GZ210102-20261125-0003`: one-time notices numbered per district and day, like cases."""
    return f"GZ{district_code}-{day:%Y%m%d}-{sequence:04d}"
