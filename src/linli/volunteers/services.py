"""Writes of volunteers: one transaction each, validated and audited.

Every write of service hours locks the volunteer's row first, so two check-outs or reports of one
volunteer never both pass the overlap check. A row that becomes countable (check-out completed,
reported hours approved, a proxy entry, a correction) sends `signals.hours_approved` inside the
same transaction: a receiver that fails rolls the write back."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from linli.accounts.domain import VOLUNTEER_JOIN, VOLUNTEER_MANAGE, VOLUNTEER_REVEAL
from linli.areas.selectors import org_unit_by_path
from linli.core.actor import Actor
from linli.core.crypto import blind_index, mask_id_number, mask_phone, seal, unseal
from linli.core.errors import (
    DomainError,
    FieldError,
    Msg,
    conflict,
    field_error,
    not_found,
    permission_denied,
    validation_failed,
)
from linli.core.services import audit_record
from linli.residents.domain import (
    id_number_birth,
    id_number_gender,
    id_number_normalise,
    id_number_problem,
    phone_problem,
)
from linli.volunteers import selectors
from linli.volunteers.domain import (
    ACTIVE_SIGNUP_STATES,
    CHECK_OUT_LATE,
    MAX_REPORTED_MINUTES,
    QR_TOKEN_MAX_AGE,
    REPORT_MAX_AGE_DAYS,
    ActivityStatus,
    HoursKind,
    HoursState,
    SignUpMode,
    SignUpState,
    Skill,
    VolunteerStatus,
    check_in_window,
    distance_m,
    first_overlap,
    is_minor,
    served_minutes,
)
from linli.volunteers.models import Activity, ServiceHours, Shift, SignUp, Volunteer
from linli.volunteers.signals import hours_approved

UNIT_KINDS = ("community", "village")
QR_SALT = "linli.volunteers.check-in"
REPEAT_SCAN = timedelta(minutes=2)  # a second scan this soon after checking in is a repeat, not a check-out


def _fmt(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _audit(actor: Actor, action: str, object_type: str, object_id, path: str, details=None, reason: str = ""):
    audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        org_path=path,
        details=details,
        reason=reason,
    )


def _manage(actor: Actor, path: str, activity: Activity | None = None) -> None:
    """Staff who may manage: in scope (by path, or an organiser's own organisation's activity)."""
    if activity is not None:
        if not selectors.activity_list(actor=actor).filter(pk=activity.pk).exists():
            raise not_found("活动", "Activity")
    elif not actor.sees_path(path):
        raise not_found()
    if not actor.has_perm(VOLUNTEER_MANAGE):
        raise permission_denied()


# ---- registration --------------------------------------------------------------------------------


@dataclass
class VolunteerInput:
    name: str
    id_number: str
    phone: str = ""
    registered_path: str = ""
    skills: list[str] = field(default_factory=list)
    availability: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""
    guardian_consent: bool = False


def volunteer_problems(data: VolunteerInput, *, today: date, phone_required: bool) -> list[FieldError]:
    problems: list[FieldError] = []
    if not data.name.strip():
        problems.append(field_error("name", "请填写真实姓名", "Give the real name"))
    elif len(data.name.strip()) > 50:
        problems.append(field_error("name", "姓名过长（最多 50 字）", "Name too long (50 characters at most)"))
    problem = id_number_problem(data.id_number)
    if problem:
        problems.append(FieldError("id_number", Msg(*problem)))
    if data.phone.strip():
        if phone_problem(data.phone):
            problems.append(FieldError("phone", Msg(*phone_problem(data.phone))))  # type: ignore[misc]
    elif phone_required:
        problems.append(field_error("phone", "请填写手机号码", "Give a phone number"))
    unit = org_unit_by_path(data.registered_path) if data.registered_path.isdigit() else None
    if unit is None or unit.kind not in UNIT_KINDS:
        problems.append(field_error("registered_path", "请选择所在社区（村）", "Choose the community or village"))
    unknown = [s for s in data.skills if s not in Skill.values]
    if unknown:
        problems.append(
            field_error("skills", f"未知的技能：{'、'.join(unknown)}", f"Unknown skills: {', '.join(unknown)}")
        )
    if len(data.availability) > 200:
        problems.append(
            field_error("availability", "可服务时间过长（最多 200 字）", "Availability too long (200 at most)")
        )
    if not problem:
        birth = id_number_birth(id_number_normalise(data.id_number))
        if birth and is_minor(birth, today):
            if not data.guardian_name.strip():
                problems.append(
                    field_error("guardian_name", "未满 18 周岁须填写监护人姓名", "Under 18: give the guardian's name")
                )
            if not data.guardian_phone.strip() or phone_problem(data.guardian_phone):
                problems.append(
                    field_error("guardian_phone", "未满 18 周岁须填写监护人电话", "Under 18: give the guardian's phone")
                )
            if not data.guardian_consent:
                problems.append(
                    field_error(
                        "guardian_consent",
                        "未满 18 周岁须经监护人同意",
                        "Under 18: the guardian's consent is needed",
                    )
                )
    return problems


def volunteer_register(*, actor: Actor, data: VolunteerInput, for_self: bool = True) -> Volunteer:
    """A resident registers themself (`for_self`), or staff record a volunteer in their area
    (with no account: an elderly neighbour with no phone). One registration per ID number."""
    if for_self:
        if not actor.has_perm(VOLUNTEER_JOIN) or actor.user_id is None:
            raise permission_denied()
    else:
        _manage(actor, data.registered_path or "x")
    now = timezone.now()
    problems = volunteer_problems(data, today=timezone.localdate(now), phone_required=for_self)
    if problems:
        raise validation_failed(problems)
    id_number = id_number_normalise(data.id_number)
    index = blind_index(id_number, context="volunteer.id_number")
    if for_self and selectors.own_volunteer(actor) is not None:
        raise conflict(Msg("您已经注册为志愿者", "You are already registered as a volunteer"))
    if Volunteer.objects.filter(id_number_index=index).exists():
        raise DomainError(
            Msg("该身份证号已注册为志愿者", "This ID number is already registered as a volunteer"),
            code="conflict",
            status=409,
            fields=[field_error("id_number", "该身份证号已注册", "already registered")],
        )
    birth = id_number_birth(id_number)
    assert birth is not None
    minor = is_minor(birth, timezone.localdate(now))
    phone = data.phone.strip().replace(" ", "")
    guardian_phone = data.guardian_phone.strip().replace(" ", "") if minor else ""
    volunteer = Volunteer(
        user_id=actor.user_id if for_self else None,
        name=data.name.strip(),
        id_number_sealed=seal(id_number, context="volunteer.id_number"),
        id_number_index=index,
        id_number_masked=mask_id_number(id_number),
        phone_sealed=seal(phone, context="volunteer.phone"),
        phone_masked=mask_phone(phone) if phone else "",
        birth_date=birth,
        gender=id_number_gender(id_number),
        guardian_name=data.guardian_name.strip() if minor else "",
        guardian_phone_sealed=seal(guardian_phone, context="volunteer.guardian_phone"),
        guardian_phone_masked=mask_phone(guardian_phone) if guardian_phone else "",
        guardian_consent_on=timezone.localdate(now) if minor else None,
        skills=list(dict.fromkeys(data.skills)),
        availability=data.availability.strip(),
        registered_path=data.registered_path,
        status=VolunteerStatus.ACTIVE,
        registered_at=now,
        recorded_by_id=None if for_self else actor.user_id,
    )
    try:
        with transaction.atomic():
            volunteer.save()
            _audit(
                actor,
                "volunteer.register",
                "volunteer",
                volunteer.public_id,
                volunteer.registered_path,
                {"self": for_self, "minor": minor},
            )
    except IntegrityError as exc:  # a concurrent registration with the same ID number or account
        raise conflict(Msg("该身份证号或账号已注册为志愿者", "Already registered as a volunteer")) from exc
    return volunteer


REVEALABLE = {
    "id_number": "volunteer.id_number",
    "phone": "volunteer.phone",
    "guardian_phone": "volunteer.guardian_phone",
}


def volunteer_reveal(*, actor: Actor, volunteer: Volunteer, field_name: str, reason: str) -> str:
    """The plaintext of one sealed field, for a role with VOLUNTEER_REVEAL and a reason; audited."""
    if not actor.sees_path(volunteer.registered_path):
        raise not_found("志愿者", "Volunteer")
    if not actor.has_perm(VOLUNTEER_REVEAL) or field_name not in REVEALABLE:
        raise permission_denied()
    reason = reason.strip()
    if len(reason) < 2:
        raise validation_failed([field_error("reason", "请填写查看原因", "Give the reason for viewing")])
    _audit(
        actor,
        "volunteer.reveal",
        "volunteer",
        volunteer.public_id,
        volunteer.registered_path,
        {"field": field_name},
        reason,
    )
    return unseal(getattr(volunteer, f"{field_name}_sealed"), context=REVEALABLE[field_name])


# ---- activities ----------------------------------------------------------------------------------


@dataclass
class ShiftInput:
    starts_at: datetime
    ends_at: datetime
    needed: int


@dataclass
class ActivityInput:
    title: str
    organiser_path: str
    place: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    organisation_id: str = ""
    lat: float | None = None
    lng: float | None = None
    radius_m: int = 300
    recurring: bool = False
    recurrence: str = ""
    signup_mode: str = SignUpMode.OPEN
    required_skills: list[str] = field(default_factory=list)
    shifts: list[ShiftInput] = field(default_factory=list)
    needed: int = 10  # when no shifts are given: one shift over the whole activity
    publish: bool = True


def activity_problems(data: ActivityInput) -> list[FieldError]:
    problems: list[FieldError] = []
    if not data.title.strip() or len(data.title) > 100:
        problems.append(field_error("title", "请填写活动名称（最多 100 字）", "Give a title (100 characters at most)"))
    if not data.place.strip():
        problems.append(field_error("place", "请填写活动地点", "Give the place"))
    if data.ends_at <= data.starts_at:
        problems.append(field_error("ends_at", "结束时间应晚于开始时间", "The end must be after the start"))
    if (data.lat is None) != (data.lng is None) or (
        data.lat is not None and not (-90 <= data.lat <= 90 and -180 <= data.lng <= 180)  # type: ignore[operator]
    ):
        problems.append(field_error("lat", "位置坐标无效", "The position is not valid"))
    if not 20 <= data.radius_m <= 5000:
        problems.append(field_error("radius_m", "签到范围应在 20 至 5000 米之间", "Check-in radius must be 20–5000 m"))
    if data.signup_mode not in SignUpMode.values:
        problems.append(field_error("signup_mode", "报名方式无效", "Unknown sign-up mode"))
    unknown = [s for s in data.required_skills if s not in Skill.values]
    if unknown:
        problems.append(field_error("required_skills", "未知的技能", f"Unknown skills: {', '.join(unknown)}"))
    if not data.shifts and data.needed < 1:
        problems.append(field_error("needed", "需要人数至少为 1", "At least one volunteer is needed"))
    for n, shift in enumerate(data.shifts, start=1):
        if shift.ends_at <= shift.starts_at:
            problems.append(
                field_error(
                    f"shifts[{n}]", f"第 {n} 个班次的结束时间应晚于开始时间", f"Shift {n} ends before it starts"
                )
            )
        elif shift.starts_at < data.starts_at or shift.ends_at > data.ends_at:
            problems.append(
                field_error(f"shifts[{n}]", f"第 {n} 个班次应在活动时间内", f"Shift {n} lies outside the activity")
            )
        if shift.needed < 1:
            problems.append(
                field_error(f"shifts[{n}]", f"第 {n} 个班次需要人数至少为 1", f"Shift {n} needs at least one")
            )
    unit = org_unit_by_path(data.organiser_path) if data.organiser_path.isdigit() else None
    if unit is None:
        problems.append(field_error("organiser_path", "请选择组织单位", "Choose the organising unit"))
    return problems


def activity_create(*, actor: Actor, data: ActivityInput) -> Activity:
    """An activity (or a recurring service) with its shifts, published at once unless a draft.
    An organiser publishes for one of their organisations (required), anywhere in the city."""
    if selectors.organiser_only(actor):
        if not actor.has_perm(VOLUNTEER_MANAGE):
            raise permission_denied()
        if not data.organisation_id or data.organisation_id not in {str(i) for i in selectors.org_ids(actor)}:
            raise validation_failed(
                [field_error("organisation_id", "请选择您所在的社会组织", "Choose your organisation")]
            )
    else:
        _manage(actor, data.organiser_path or "x")
    problems = activity_problems(data)
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        activity = Activity.objects.create(
            title=data.title.strip(),
            description=data.description.strip(),
            organiser_path=data.organiser_path,
            organisation_id=data.organisation_id or None,
            place=data.place.strip(),
            lat=data.lat,
            lng=data.lng,
            radius_m=data.radius_m,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            recurring=data.recurring,
            recurrence=data.recurrence.strip(),
            signup_mode=data.signup_mode,
            required_skills=list(dict.fromkeys(data.required_skills)),
            status=ActivityStatus.PUBLISHED if data.publish else ActivityStatus.DRAFT,
            qr_secret=secrets.token_urlsafe(24),
            created_by_id=actor.user_id,
        )
        shifts = data.shifts or [ShiftInput(data.starts_at, data.ends_at, data.needed)]
        Shift.objects.bulk_create(
            [Shift(activity=activity, starts_at=s.starts_at, ends_at=s.ends_at, needed=s.needed) for s in shifts]
        )
        _audit(
            actor, "activity.create", "activity", activity.public_id, activity.organiser_path, {"shifts": len(shifts)}
        )
    return activity


def activity_set_status(*, actor: Actor, activity: Activity, status: str, reason: str = "") -> Activity:
    """Publish a draft, cancel (with a reason; open sign-ups are cancelled) or mark finished."""
    _manage(actor, activity.organiser_path, activity)
    allowed = {
        ActivityStatus.DRAFT: {ActivityStatus.PUBLISHED, ActivityStatus.CANCELLED},
        ActivityStatus.PUBLISHED: {ActivityStatus.CANCELLED, ActivityStatus.FINISHED},
    }
    if status not in allowed.get(activity.status, set()):  # type: ignore[call-overload]
        raise conflict(Msg("活动当前状态不能这样变更", "The activity cannot change to that state now"))
    if status == ActivityStatus.CANCELLED and len(reason.strip()) < 2:
        raise validation_failed([field_error("reason", "取消活动须填写原因", "Give the reason for cancelling")])
    with transaction.atomic():
        updated = Activity.objects.filter(pk=activity.pk, status=activity.status).update(status=status)
        if not updated:
            raise conflict(Msg("活动状态已被他人变更，请刷新", "The activity changed meanwhile; reload"))
        if status == ActivityStatus.CANCELLED:
            SignUp.objects.filter(shift__activity=activity, state__in=ACTIVE_SIGNUP_STATES).update(
                state=SignUpState.CANCELLED, decided_at=timezone.now(), decided_by_id=actor.user_id
            )
        _audit(actor, f"activity.{status}", "activity", activity.public_id, activity.organiser_path, reason=reason)
    activity.status = status
    return activity


# ---- sign-ups ------------------------------------------------------------------------------------


def _own(actor: Actor) -> Volunteer:
    volunteer = selectors.own_volunteer(actor)
    if volunteer is None or not actor.has_perm(VOLUNTEER_JOIN):
        raise DomainError(Msg("请先注册为志愿者", "Register as a volunteer first"), code="not_volunteer", status=403)
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise DomainError(
            Msg("您的志愿者身份已暂停", "Your volunteer registration is suspended"), code="suspended", status=403
        )
    return volunteer


def _shift_for_signup(public_id) -> Shift:
    shift = Shift.objects.select_related("activity").filter(public_id=public_id).first() if public_id else None
    if shift is None or shift.activity.status != ActivityStatus.PUBLISHED:
        raise not_found("班次", "Shift")
    return shift


def signup_create(*, actor: Actor, shift_id, volunteer: Volunteer | None = None) -> SignUp:
    """Sign up for a shift (a resident for themself). Refused: twice for one shift, a full
    shift, a shift that is over. Open mode confirms at once; confirm mode waits for the organiser."""
    volunteer = volunteer or _own(actor)
    try:
        shift = _shift_for_signup(shift_id)
    except (ValueError, TypeError) as exc:
        raise not_found("班次", "Shift") from exc
    now = timezone.now()
    if shift.ends_at <= now:
        raise conflict(Msg("该班次已结束，不能报名", "This shift is over"))
    with transaction.atomic():
        locked = Shift.objects.select_for_update().get(pk=shift.pk)
        if SignUp.objects.filter(shift=locked, volunteer=volunteer, state__in=ACTIVE_SIGNUP_STATES).exists():
            raise conflict(Msg("您已报名该班次，不能重复报名", "You have already signed up for this shift"))
        taken = SignUp.objects.filter(shift=locked, state__in=ACTIVE_SIGNUP_STATES).count()
        if taken >= locked.needed:
            raise conflict(
                Msg(f"该班次已满（{locked.needed} 人），请选择其他班次", f"This shift is full ({locked.needed})")
            )
        state = SignUpState.CONFIRMED if shift.activity.signup_mode == SignUpMode.OPEN else SignUpState.REQUESTED
        try:
            with transaction.atomic():
                signup = SignUp.objects.create(shift=locked, volunteer=volunteer, state=state)
        except IntegrityError as exc:
            raise conflict(Msg("您已报名该班次，不能重复报名", "You have already signed up for this shift")) from exc
        _audit(actor, "signup.create", "signup", signup.public_id, shift.activity.organiser_path, {"state": state})
    return signup


def signup_cancel(*, actor: Actor, signup: SignUp, reason: str = "") -> SignUp:
    """The volunteer cancels their own sign-up before the shift starts."""
    volunteer = _own(actor)
    if signup.volunteer_id != volunteer.pk:
        raise not_found("报名", "Sign-up")
    return _signup_move(actor, signup, SignUpState.CANCELLED, reason)


def signup_decide(*, actor: Actor, signup: SignUp, confirm: bool, reason: str = "") -> SignUp:
    """The organiser confirms a requested sign-up (if places are left) or declines it."""
    activity = signup.shift.activity
    _manage(actor, activity.organiser_path, activity)
    if not confirm and len(reason.strip()) < 2:
        raise validation_failed([field_error("reason", "婉拒报名须填写原因", "Give the reason for declining")])
    return _signup_move(actor, signup, SignUpState.CONFIRMED if confirm else SignUpState.DECLINED, reason)


def _signup_move(actor: Actor, signup: SignUp, state: str, reason: str) -> SignUp:
    with transaction.atomic():
        shift = Shift.objects.select_for_update().get(pk=signup.shift_id)
        current = SignUp.objects.get(pk=signup.pk)
        if state == SignUpState.CANCELLED and current.state not in ACTIVE_SIGNUP_STATES:
            raise conflict(Msg("该报名已不能取消", "This sign-up can no longer be cancelled"))
        if state in (SignUpState.CONFIRMED, SignUpState.DECLINED) and current.state != SignUpState.REQUESTED:
            raise conflict(Msg("该报名已处理", "This sign-up was already decided"))
        if state == SignUpState.CANCELLED and shift.starts_at <= timezone.now():
            raise conflict(Msg("班次已开始，不能取消报名", "The shift has started; it can no longer be cancelled"))
        if state == SignUpState.CONFIRMED:
            confirmed = SignUp.objects.filter(shift=shift, state=SignUpState.CONFIRMED).count()
            if confirmed >= shift.needed:
                raise conflict(Msg("该班次名额已满", "This shift is full"))
        SignUp.objects.filter(pk=current.pk).update(state=state, decided_at=timezone.now(), decided_by_id=actor.user_id)
        _audit(
            actor, f"signup.{state}", "signup", signup.public_id, signup.shift.activity.organiser_path, reason=reason
        )
    signup.state = state
    return signup


def signup_rate(*, actor: Actor, signup: SignUp, rating: int) -> SignUp:
    """The organiser rates participation 1–5 once the shift has started."""
    activity = signup.shift.activity
    _manage(actor, activity.organiser_path, activity)
    if not 1 <= rating <= 5:
        raise validation_failed([field_error("rating", "评价应为 1 至 5 星", "The rating must be 1–5")])
    if signup.state != SignUpState.CONFIRMED:
        raise conflict(Msg("只能评价已确认的报名", "Only confirmed sign-ups can be rated"))
    SignUp.objects.filter(pk=signup.pk).update(rating=rating, rated_by_id=actor.user_id)
    _audit(actor, "signup.rate", "signup", signup.public_id, activity.organiser_path, {"rating": rating})
    signup.rating = rating
    return signup


# ---- check-in and check-out ----------------------------------------------------------------------


def qr_token(activity: Activity) -> str:
    """The token in the organiser's QR link: the activity, signed with its own secret and the
    site's key, valid for `QR_TOKEN_MAX_AGE` after it is shown."""
    signer = signing.TimestampSigner(salt=f"{QR_SALT}:{activity.qr_secret}")
    return signer.sign(str(activity.public_id))


def activity_from_token(token: str) -> Activity:
    """The activity a QR token names; refused when forged, expired or for a closed activity."""
    public_id = token.split(":", 1)[0]
    activity = selectors._by_public_id(Activity.objects.all(), public_id)
    bad = DomainError(
        Msg("签到二维码无效，请重新扫码", "The check-in QR code is not valid; scan it again"), code="bad_token"
    )
    if activity is None:
        raise bad
    signer = signing.TimestampSigner(salt=f"{QR_SALT}:{activity.qr_secret}")
    try:
        signer.unsign(token, max_age=QR_TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise DomainError(
            Msg("签到二维码已过期，请让组织者刷新", "The QR code has expired; ask the organiser to refresh it"),
            code="token_expired",
        ) from exc
    except signing.BadSignature as exc:
        raise bad from exc
    if activity.status != ActivityStatus.PUBLISHED:
        raise conflict(Msg("活动未在进行中", "The activity is not running"))
    return activity


@dataclass(frozen=True)
class CheckResult:
    hours: ServiceHours
    checked_out: bool  # False: checked in now; True: checked out (minutes counted)
    repeated: bool = False  # the same scan again: nothing changed


def _current_shift(activity: Activity, volunteer: Volunteer, now: datetime) -> tuple[Shift, bool]:
    """The shift of `activity` the volunteer is checking in to now, and whether it is their own
    confirmed sign-up: their signed-up shift whose check-in window holds now, else (open sign-up)
    any shift in its window (the caller checks the place left)."""
    shifts = list(activity.shifts.order_by("starts_at"))
    mine = set(
        SignUp.objects.filter(volunteer=volunteer, shift__activity=activity, state=SignUpState.CONFIRMED).values_list(
            "shift_id", flat=True
        )
    )
    candidates = [s for s in shifts if check_in_window(s.starts_at, s.ends_at)[0] <= now < s.ends_at]
    for shift in candidates:
        if shift.pk in mine:
            return shift, True
    if candidates and activity.signup_mode == SignUpMode.OPEN:
        return candidates[0], False
    if candidates:
        raise conflict(Msg("您未报名或报名尚未确认，不能签到", "You have no confirmed sign-up for this shift"))
    first = min((s.starts_at for s in shifts), default=activity.starts_at)
    last = max((s.ends_at for s in shifts), default=activity.ends_at)
    opens = check_in_window(first, last)[0]
    if now < opens:
        raise DomainError(
            Msg(
                f"还未到签到时间：签到从 {_fmt(opens)} 开始",
                f"Too early: check-in opens at {_fmt(opens)}",
            ),
            code="outside_window",
        )
    raise DomainError(
        Msg(
            f"不在活动时间内：本次活动（班次）已于 {_fmt(last)} 结束",
            f"Outside the activity's time: it ended at {_fmt(last)}",
        ),
        code="outside_window",
    )


def _check_position(activity: Activity, lat: float | None, lng: float | None) -> None:
    if activity.lat is None or activity.lng is None:
        raise DomainError(
            Msg(
                "本活动不支持定位签到，请扫描组织者的二维码",
                "This activity has no position: scan the organiser's QR code",
            ),
            code="no_position",
        )
    if lat is None or lng is None:
        raise validation_failed(
            [field_error("position", "未取得您的位置，请允许定位后重试", "Your position is needed")]
        )
    distance = distance_m(lat, lng, activity.lat, activity.lng)
    if distance > activity.radius_m:
        raise DomainError(
            Msg(
                f"您距活动地点约 {distance:,.0f} 米，超出签到范围（{activity.radius_m} 米）",
                f"You are about {distance:,.0f} m from the place, beyond the check-in radius ({activity.radius_m} m)",
            ),
            code="outside_radius",
            details={"distance_m": round(distance), "radius_m": activity.radius_m},
        )


def check_in_or_out(
    *,
    actor: Actor,
    activity: Activity,
    volunteer: Volunteer | None = None,
    by_token: bool = False,
    lat: float | None = None,
    lng: float | None = None,
    now: datetime | None = None,
    action: str = "auto",
) -> CheckResult:
    """Check in (first time) or out (second time) at an activity, by its QR token (`by_token`:
    the caller has checked the token) or by position within its radius. A scanner calls it with
    the volunteer; a resident for themself. Repeating a check-out is idempotent. `action`: "in"
    or "out" as the volunteer's button says; "auto" (a scanner) toggles, and a second scan within
    `REPEAT_SCAN` of the check-in is a repeat."""
    now = now or timezone.now()
    if volunteer is None:
        volunteer = _own(actor)
    elif not (actor.has_perm(VOLUNTEER_MANAGE) and selectors.activity_in_reach(actor=actor, activity=activity)):
        own = selectors.own_volunteer(actor)
        if own is None or own.pk != volunteer.pk:
            raise not_found("活动", "Activity")
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise conflict(Msg("志愿者身份已暂停", "The volunteer's registration is suspended"))
    if activity.status != ActivityStatus.PUBLISHED:
        raise conflict(Msg("活动未在进行中", "The activity is not running"))
    if not by_token:
        _check_position(activity, lat, lng)
    try:
        return _check_in_or_out(actor, activity, volunteer, by_token=by_token, now=now, action=action)
    except IntegrityError as exc:  # a concurrent check-in of the same shift won the race
        raise conflict(Msg("本班次已签到过", "Already checked in for this shift")) from exc


@transaction.atomic
def _check_in_or_out(
    actor: Actor, activity: Activity, volunteer: Volunteer, *, by_token: bool, now: datetime, action: str
) -> CheckResult:
    # one transaction: the volunteer's row is locked first
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).values_list("pk").first()
    # one query for the rows that decide: this activity's check-ins and any check-in still open
    rows = list(
        ServiceHours.objects.select_for_update(of=("self",))
        .filter(Q(activity=activity, kind=HoursKind.CHECK_IN) | Q(state=HoursState.OPEN), volunteer=volunteer)
        .select_related("shift", "activity")
        .order_by("-created_at")
    )
    open_row = next((r for r in rows if r.activity_id == activity.pk and r.kind == HoursKind.CHECK_IN), None)
    if open_row is not None and open_row.state == HoursState.OPEN:
        assert open_row.checked_in_at is not None
        if action == "in" or (action == "auto" and now - open_row.checked_in_at < REPEAT_SCAN):
            # the same scan twice, or the check-in button again: still checked in
            return CheckResult(open_row, checked_out=False, repeated=True)
        return CheckResult(_check_out(actor, open_row, volunteer, now), checked_out=True)
    if open_row is not None and (action == "out" or (open_row.shift and open_row.shift.ends_at > now)):
        return CheckResult(open_row, checked_out=True, repeated=True)
    if action == "out":
        raise conflict(Msg("您还没有签到", "You have not checked in"))
    shift, confirmed = _current_shift(activity, volunteer, now)
    elsewhere = next((r for r in rows if r.state == HoursState.OPEN), None)
    if elsewhere is not None:
        raise conflict(
            Msg(
                f"您在“{elsewhere.activity}”的签到尚未签退，请先签退",
                f"You are still checked in at “{elsewhere.activity}”; check out there first",
            )
        )
    # a confirmed sign-up of this shift was read above; otherwise join it on the spot if a place is left
    if (
        not confirmed
        and not SignUp.objects.filter(shift=shift, volunteer=volunteer, state__in=ACTIVE_SIGNUP_STATES).exists()
    ):
        taken = SignUp.objects.filter(shift=shift, state__in=ACTIVE_SIGNUP_STATES).count()
        if taken >= shift.needed:
            raise conflict(Msg("该班次已满，不能现场加入", "This shift is full"))
        SignUp.objects.create(shift=shift, volunteer=volunteer, state=SignUpState.CONFIRMED)
    row = ServiceHours.objects.create(
        volunteer=volunteer,
        activity=activity,
        shift=shift,
        kind=HoursKind.CHECK_IN,
        minutes=0,
        served_path=activity.organiser_path,
        registered_path=volunteer.registered_path,
        served_on=timezone.localdate(now),
        checked_in_at=now,
        description=activity.title[:300],
        state=HoursState.OPEN,
        recorded_by_id=actor.user_id,
    )
    _audit(
        actor,
        "hours.check_in",
        "hours",
        row.public_id,
        activity.organiser_path,
        {"by": "qr" if by_token else "position"},
    )
    return CheckResult(row, checked_out=False)


def _check_out(actor: Actor, row: ServiceHours, volunteer: Volunteer, now: datetime) -> ServiceHours:
    shift = row.shift
    assert shift is not None and row.checked_in_at is not None
    if now > shift.ends_at + CHECK_OUT_LATE:
        now = shift.ends_at  # a forgotten check-out counts to the shift's end, no later
    minutes = served_minutes(row.checked_in_at, now, shift.starts_at, shift.ends_at)
    start = max(row.checked_in_at, shift.starts_at)
    _refuse_overlap(row.volunteer_id, start, start + timedelta(minutes=minutes), exclude=row.pk)
    ServiceHours.objects.filter(pk=row.pk).update(
        checked_out_at=now, minutes=minutes, state=HoursState.APPROVED, approved_at=now
    )
    row.checked_out_at, row.minutes, row.state, row.approved_at = now, minutes, HoursState.APPROVED, now
    _audit(actor, "hours.check_out", "hours", row.public_id, row.served_path, {"minutes": minutes})
    _countable(row, volunteer.public_id)
    return row


def _refuse_overlap(volunteer_pk: int, start: datetime, end: datetime, *, exclude: int | None = None) -> None:
    """No two counted (or waiting) records of one volunteer share time."""
    if end <= start:
        return
    others = ServiceHours.objects.filter(
        volunteer_id=volunteer_pk,
        state__in=[HoursState.APPROVED, HoursState.PENDING],
        checked_in_at__lt=end,
        checked_out_at__gt=start,
    ).exclude(kind=HoursKind.CORRECTION)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    spans = [(a, b) for a, b in others.values_list("checked_in_at", "checked_out_at") if a and b]
    clash = first_overlap(start, end, spans)
    if clash is not None:
        raise DomainError(
            Msg(
                f"与已有的服务记录时间重叠（{_fmt(clash[0])} 至 {_fmt(clash[1])}）",
                f"Overlaps an existing record ({_fmt(clash[0])} to {_fmt(clash[1])})",
            ),
            code="overlap",
            status=409,
        )


def _countable(row: ServiceHours, volunteer_public_id=None) -> None:
    """Announce a row that now counts; inside the caller's transaction."""
    if volunteer_public_id is None:
        volunteer_public_id = Volunteer.objects.values_list("public_id", flat=True).get(pk=row.volunteer_id)
    hours_approved.send(
        sender=ServiceHours,
        hours_id=row.public_id,
        registered_path=row.registered_path,
        volunteer_id=volunteer_public_id,
        minutes=row.minutes,
        served_path=row.served_path,
        approved_at=row.approved_at,
    )


# ---- reported hours, proxy entries, corrections --------------------------------------------------


@dataclass
class HoursInput:
    description: str
    started_at: datetime
    minutes: int
    beneficiary: str = ""
    served_path: str = ""
    activity_id: str = ""


def _hours_problems(data: HoursInput, now: datetime) -> list[FieldError]:
    problems: list[FieldError] = []
    if not data.description.strip():
        problems.append(field_error("description", "请说明做了什么", "Say what was done"))
    elif len(data.description) > 300:
        problems.append(field_error("description", "说明过长（最多 300 字）", "Too long (300 characters at most)"))
    if not 1 <= data.minutes <= MAX_REPORTED_MINUTES:
        problems.append(
            field_error(
                "minutes", f"时长应在 1 至 {MAX_REPORTED_MINUTES} 分钟之间", f"Minutes must be 1–{MAX_REPORTED_MINUTES}"
            )
        )
    end = data.started_at + timedelta(minutes=max(data.minutes, 0))
    if end > now + timedelta(minutes=5):
        problems.append(field_error("started_at", "服务时间不能晚于现在", "The service cannot end in the future"))
    if data.started_at < now - timedelta(days=REPORT_MAX_AGE_DAYS):
        problems.append(
            field_error(
                "started_at", f"只能填报 {REPORT_MAX_AGE_DAYS} 天内的服务", f"Only the last {REPORT_MAX_AGE_DAYS} days"
            )
        )
    unit = org_unit_by_path(data.served_path) if data.served_path.isdigit() else None
    if unit is None:
        problems.append(field_error("served_path", "请选择服务所在社区", "Choose where the help was given"))
    if len(data.beneficiary) > 100:
        problems.append(field_error("beneficiary", "服务对象过长（最多 100 字）", "Too long (100 characters at most)"))
    return problems


def _new_hours(
    actor: Actor, volunteer: Volunteer, data: HoursInput, *, kind: str, state: str, now: datetime
) -> ServiceHours:
    end = data.started_at + timedelta(minutes=data.minutes)
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    _refuse_overlap(volunteer.pk, data.started_at, end)
    activity = selectors._by_public_id(Activity.objects.all(), data.activity_id) if data.activity_id else None
    return ServiceHours.objects.create(
        volunteer=volunteer,
        activity=activity,
        kind=kind,
        minutes=data.minutes,
        served_path=data.served_path,
        registered_path=volunteer.registered_path,
        served_on=timezone.localdate(data.started_at),
        checked_in_at=data.started_at,
        checked_out_at=end,
        description=data.description.strip(),
        beneficiary=data.beneficiary.strip(),
        state=state,
        approved_by_id=actor.user_id if state == HoursState.APPROVED else None,
        approved_at=now if state == HoursState.APPROVED else None,
        recorded_by_id=actor.user_id,
    )


def hours_report(*, actor: Actor, data: HoursInput) -> ServiceHours:
    """A volunteer reports unplanned neighbourly help (邻里互助) for approval."""
    volunteer = _own(actor)
    now = timezone.now()
    data.served_path = data.served_path or volunteer.registered_path
    problems = _hours_problems(data, now)
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        row = _new_hours(actor, volunteer, data, kind=HoursKind.REPORTED, state=HoursState.PENDING, now=now)
        _audit(actor, "hours.report", "hours", row.public_id, row.served_path, {"minutes": row.minutes})
    return row


def hours_decide(*, actor: Actor, row: ServiceHours, approve: bool, reason: str = "") -> ServiceHours:
    """Approve or reject reported hours (staff of the place served, or the activity's organiser)."""
    if not selectors.hours_to_approve(actor=actor).filter(pk=row.pk).exists():
        if not selectors.hours_list(actor=actor).filter(pk=row.pk).exists():
            raise not_found("服务时长记录", "Service hours")
        raise conflict(Msg("该记录已审核", "These hours were already decided"))
    if not actor.has_perm(VOLUNTEER_MANAGE):
        raise permission_denied()
    if not approve and len(reason.strip()) < 2:
        raise validation_failed([field_error("reason", "不予认定须填写原因", "Give the reason for rejecting")])
    now = timezone.now()
    state = HoursState.APPROVED if approve else HoursState.REJECTED
    with transaction.atomic():
        Volunteer.objects.select_for_update().filter(pk=row.volunteer_id).first()
        if approve:
            assert row.checked_in_at is not None and row.checked_out_at is not None
            _refuse_overlap(row.volunteer_id, row.checked_in_at, row.checked_out_at, exclude=row.pk)
        updated = ServiceHours.objects.filter(pk=row.pk, state=HoursState.PENDING).update(
            state=state, approved_by_id=actor.user_id, approved_at=now, reason=reason.strip()[:300]
        )
        if not updated:
            raise conflict(Msg("该记录已审核", "These hours were already decided"))
        row.state, row.approved_at, row.approved_by_id = state, now, actor.user_id
        _audit(actor, f"hours.{state}", "hours", row.public_id, row.served_path, {"minutes": row.minutes}, reason)
        if approve:
            _countable(row)
    return row


def hours_proxy(*, actor: Actor, volunteer: Volunteer, data: HoursInput) -> ServiceHours:
    """Staff record hours for a volunteer with no phone (代录): approved when written, logged
    with who recorded them."""
    if data.activity_id:
        activity = selectors.activity_get(actor=actor, public_id=data.activity_id)
        data.served_path = data.served_path or activity.organiser_path
    data.served_path = data.served_path or volunteer.registered_path
    _manage(actor, data.served_path)
    now = timezone.now()
    problems = _hours_problems(data, now)
    if problems:
        raise validation_failed(problems)
    with transaction.atomic():
        row = _new_hours(actor, volunteer, data, kind=HoursKind.PROXY, state=HoursState.APPROVED, now=now)
        _audit(
            actor,
            "hours.proxy",
            "hours",
            row.public_id,
            row.served_path,
            {"minutes": row.minutes, "recorded_by": actor.shown_name},
        )
        _countable(row)
    return row


def hours_correct(*, actor: Actor, row: ServiceHours, minutes: int, reason: str) -> ServiceHours:
    """A correction of a counted row: a new row of `minutes` (negative takes minutes back) with
    the reason; the corrected row is never edited. The total of a row and its corrections
    never goes below zero."""
    if not selectors.hours_list(actor=actor).filter(pk=row.pk).exists():
        raise not_found("服务时长记录", "Service hours")
    if not actor.has_perm(VOLUNTEER_MANAGE):
        raise permission_denied()
    problems = []
    if len(reason.strip()) < 2:
        problems.append(field_error("reason", "更正须填写原因", "Give the reason for the correction"))
    if minutes == 0:
        problems.append(field_error("minutes", "更正的分钟数不能为 0", "The correction cannot be 0 minutes"))
    if row.state != HoursState.APPROVED or row.kind == HoursKind.CORRECTION:
        problems.append(field_error("corrects", "只能更正已认定的记录", "Only approved records can be corrected"))
    if problems:
        raise validation_failed(problems)
    now = timezone.now()
    with transaction.atomic():
        Volunteer.objects.select_for_update().filter(pk=row.volunteer_id).first()
        already = sum(c.minutes for c in ServiceHours.objects.filter(corrects=row))
        if row.minutes + already + minutes < 0:
            raise validation_failed(
                [
                    field_error(
                        "minutes",
                        f"更正后时长不能为负：该记录现计 {row.minutes + already} 分钟",
                        f"The record would go below zero: it counts {row.minutes + already} minutes",
                    )
                ]
            )
        correction = ServiceHours.objects.create(
            volunteer_id=row.volunteer_id,
            activity_id=row.activity_id,
            kind=HoursKind.CORRECTION,
            minutes=minutes,
            served_path=row.served_path,
            registered_path=row.registered_path,
            served_on=row.served_on,
            description=f"更正：{row.description}"[:300],
            reason=reason.strip()[:300],
            corrects=row,
            state=HoursState.APPROVED,
            approved_by_id=actor.user_id,
            approved_at=now,
            recorded_by_id=actor.user_id,
        )
        _audit(
            actor,
            "hours.correct",
            "hours",
            correction.public_id,
            row.served_path,
            {"minutes": minutes, "corrects": str(row.public_id)},
            reason,
        )
        _countable(correction)
    return correction


def shifts_from_text(text: str, day: datetime) -> list[tuple[datetime, datetime, int]]:
    """Shifts typed one a line as `09:00-10:30 5` on the activity's first day (a line may start
    with a date: `2026-12-08 09:00-10:30 5`)."""
    shifts: list[tuple[datetime, datetime, int]] = []
    local_day = timezone.localtime(day).date()
    problems: list[FieldError] = []
    for n, line in enumerate((t.strip() for t in text.splitlines()), start=1):
        if not line:
            continue
        parts = line.replace("–", "-").replace("～", "-").replace("~", "-").split()
        try:
            on = date.fromisoformat(parts.pop(0)) if len(parts) == 3 else local_day
            span, needed = parts
            start_text, end_text = span.split("-")
            start = timezone.make_aware(datetime.combine(on, datetime.strptime(start_text, "%H:%M").time()))
            end = timezone.make_aware(datetime.combine(on, datetime.strptime(end_text, "%H:%M").time()))
            shifts.append((start, end, int(needed)))
        except (ValueError, IndexError):
            problems.append(
                field_error(
                    "shifts",
                    f"第 {n} 行格式应为“09:00-10:30 5”（开始-结束 人数）",
                    f"Line {n} should read like 09:00-10:30 5 (start-end needed)",
                )
            )
    if problems:
        raise validation_failed(problems)
    return shifts


def figures_refresh(*, months: int = 12, today: date | None = None) -> int:
    """Recompute the stored figures of the last `months` months for every community (a system
    job: `linli volunteer-figures`, and the demo). Returns the rows written."""
    from linli.volunteers.models import VolunteerFigure

    today = today or timezone.localdate()
    now = timezone.now()
    written = 0
    first = date(today.year, today.month, 1)
    for back in range(months - 1, -1, -1):
        y, m = divmod(first.year * 12 + first.month - 1 - back, 12)
        start = date(y, m + 1, 1)
        ny, nm = divmod(y * 12 + m + 1, 12)
        end = date(ny, nm + 1, 1)
        data = selectors.figure_inputs(month_start=start, month_end=end)
        with transaction.atomic():
            VolunteerFigure.objects.filter(month=start).delete()
            VolunteerFigure.objects.bulk_create(
                [
                    VolunteerFigure(
                        path=path,
                        month=start,
                        registered=v["registered"],
                        active_12m=v["active_12m"],
                        served_minutes=v["served"],
                        registered_minutes=v["registered_minutes"],
                        computed_at=now,
                    )
                    for path, v in data.items()
                    if len(path) == 12
                ]
            )
        written += len(data)
    return written


# ---- bulk paths (demo, benchmarks, history transfer) ---------------------------------------------


def volunteers_register_bulk(*, actor: Actor, inputs: list[VolunteerInput], registered_at: list[datetime]) -> int:
    """Register many volunteers recorded by staff or the system in one transaction: each input
    passes the same checks as `volunteer_register` (a bad or duplicate one is skipped, not half
    saved); one audit line for the batch. Returns how many were saved."""
    if not (actor.is_system or actor.has_perm(VOLUNTEER_MANAGE)):
        raise permission_denied()
    today = timezone.localdate()
    known = set(Volunteer.objects.values_list("id_number_index", flat=True))
    rows: list[Volunteer] = []
    for data, at in zip(inputs, registered_at, strict=True):
        if volunteer_problems(data, today=today, phone_required=False) or not actor.sees_path(data.registered_path):
            continue
        id_number = id_number_normalise(data.id_number)
        index = blind_index(id_number, context="volunteer.id_number")
        if index in known:
            continue
        known.add(index)
        birth = id_number_birth(id_number)
        assert birth is not None
        minor = is_minor(birth, today)
        phone = data.phone.strip()
        guardian_phone = data.guardian_phone.strip() if minor else ""
        rows.append(
            Volunteer(
                name=data.name.strip(),
                id_number_sealed=seal(id_number, context="volunteer.id_number"),
                id_number_index=index,
                id_number_masked=mask_id_number(id_number),
                phone_sealed=seal(phone, context="volunteer.phone"),
                phone_masked=mask_phone(phone) if phone else "",
                birth_date=birth,
                gender=id_number_gender(id_number),
                guardian_name=data.guardian_name.strip() if minor else "",
                guardian_phone_sealed=seal(guardian_phone, context="volunteer.guardian_phone"),
                guardian_phone_masked=mask_phone(guardian_phone) if guardian_phone else "",
                guardian_consent_on=at.date() if minor else None,
                skills=list(dict.fromkeys(data.skills)),
                availability=data.availability.strip(),
                registered_path=data.registered_path,
                status=VolunteerStatus.ACTIVE,
                registered_at=at,
                recorded_by_id=actor.user_id,
            )
        )
    with transaction.atomic():
        Volunteer.objects.bulk_create(rows, batch_size=1000)
        _audit(actor, "volunteer.register_bulk", "volunteer", "", "", {"rows": len(rows)})
    return len(rows)


@dataclass(frozen=True)
class ServedRow:
    """One counted service of a volunteer: at a shift (a completed check-in) or not (a record
    by staff, e.g. hours transferred from an earlier roster)."""

    volunteer_id: int
    started_at: datetime
    minutes: int
    served_path: str
    description: str
    shift: Shift | None = None


def hours_record_bulk(*, actor: Actor, rows: list[ServedRow], announce: bool = True) -> int:
    """Write many approved rows at once (demo, history transfer): a check-in row for a shift is
    capped by the shift and makes a confirmed sign-up; others are staff records (代录). Rows that
    would overlap another of the same volunteer (in the batch or stored) are skipped. With
    `announce`, `hours_approved` is sent for each row, as for one; without it (a catch-up the
    time bank makes itself) no signal is sent. Returns the rows written."""
    if not (actor.is_system or actor.has_perm(VOLUNTEER_MANAGE)):
        raise permission_denied()
    now = timezone.now()
    volunteers = dict(
        Volunteer.objects.filter(pk__in={r.volunteer_id for r in rows}).values_list("pk", "registered_path")
    )
    spans: dict[int, list[tuple[datetime, datetime]]] = {}
    for pk, start, end in ServiceHours.objects.filter(
        volunteer_id__in=volunteers, checked_in_at__isnull=False, checked_out_at__isnull=False
    ).values_list("volunteer_id", "checked_in_at", "checked_out_at"):
        spans.setdefault(pk, []).append((start, end))  # type: ignore[arg-type]
    taken = set(
        ServiceHours.objects.filter(volunteer_id__in=volunteers, kind=HoursKind.CHECK_IN).values_list(
            "volunteer_id", "shift_id"
        )
    )
    hours: list[ServiceHours] = []
    signups: list[SignUp] = []
    for r in rows:
        if r.volunteer_id not in volunteers or r.minutes <= 0:
            continue
        start, minutes = r.started_at, r.minutes
        if r.shift is not None:
            if (r.volunteer_id, r.shift.pk) in taken:
                continue
            minutes = served_minutes(start, start + timedelta(minutes=minutes), r.shift.starts_at, r.shift.ends_at)
            start = max(start, r.shift.starts_at)
        end = start + timedelta(minutes=minutes)
        if minutes <= 0 or first_overlap(start, end, spans.get(r.volunteer_id, [])):
            continue
        spans.setdefault(r.volunteer_id, []).append((start, end))
        if r.shift is not None:
            taken.add((r.volunteer_id, r.shift.pk))
            signups.append(SignUp(shift=r.shift, volunteer_id=r.volunteer_id, state=SignUpState.CONFIRMED))
        hours.append(
            ServiceHours(
                volunteer_id=r.volunteer_id,
                activity_id=r.shift.activity_id if r.shift else None,
                shift=r.shift,
                kind=HoursKind.CHECK_IN if r.shift else HoursKind.PROXY,
                minutes=minutes,
                served_path=r.served_path,
                registered_path=volunteers[r.volunteer_id],
                served_on=timezone.localdate(start),
                checked_in_at=start,
                checked_out_at=end,
                description=r.description[:300],
                state=HoursState.APPROVED,
                approved_by_id=actor.user_id,
                approved_at=now,
                recorded_by_id=actor.user_id,
            )
        )
    with transaction.atomic():
        SignUp.objects.bulk_create(signups, batch_size=1000, ignore_conflicts=True)
        ServiceHours.objects.bulk_create(hours, batch_size=1000)
        _audit(actor, "hours.record_bulk", "hours", "", "", {"rows": len(hours), "announced": announce})
        if announce:
            for row in hours:
                _countable(row)
    return len(hours)
