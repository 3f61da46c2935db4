"""Domain errors: a code, a message in zh-hans and English, and field details.

Interfaces turn them into form errors, the API error shape, Open311 errors or a command's
exit message, never into a 500. Messages are bilingual pairs rather than catalogue entries
so that a command line can print both languages at once and the API can answer in the
request's language without a catalogue lookup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation


@dataclass(frozen=True)
class Msg:
    """A user-facing message in both interface languages."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.for_language(translation.get_language())

    def for_language(self, language: str | None) -> str:
        return self.en if (language or "").startswith("en") else self.zh

    def both(self) -> str:
        return f"{self.zh} ({self.en})"


@dataclass(frozen=True)
class FieldError:
    field: str
    message: Msg


@dataclass
class DomainError(Exception):
    message: Msg
    code: str = "invalid"
    fields: list[FieldError] = field(default_factory=list)
    status: int = 400
    details: dict = field(default_factory=dict)  # machine-readable extras (e.g. proposed duplicates)

    def __str__(self) -> str:
        details = "; ".join(f"{f.field}: {f.message.both()}" for f in self.fields)
        return self.message.both() + (f" — {details}" if details else "")


def not_found(what_zh: str = "对象", what_en: str = "object") -> DomainError:
    """Missing and forbidden answer the same, so the answer leaks nothing about existence."""
    return DomainError(Msg(f"{what_zh}不存在或无权访问", f"{what_en} not found"), code="not_found", status=404)


def permission_denied() -> DomainError:
    return DomainError(
        Msg("您的账号没有此操作的权限", "Your account may not do this"), code="permission_denied", status=403
    )


def field_error(field_name: str, zh: str, en: str) -> FieldError:
    """One field's problem, in both languages."""
    return FieldError(field_name, Msg(zh, en))


def validation_failed(fields: list[FieldError]) -> DomainError:
    return DomainError(
        Msg("提交的内容有误，请检查标出的字段", "Some fields are invalid; see the details"),
        code="validation_failed",
        fields=fields,
        status=422,
    )


def conflict(message: Msg) -> DomainError:
    return DomainError(message, code="conflict", status=409)
