"""Notifications: one interface, pluggable channels.

Services call `notify(...)` inside their transaction; the message is handed to a task after the
commit (a rolled-back change notifies nobody), and the task sends it through every channel in
`LINLI_NOTIFY_CHANNELS`: the in-app inbox and the log by default; email, and SMS or WeChat
template messages through an HTTP gateway when an operator configures one. A channel that fails
is logged and does not stop the others. Texts come in both languages (`Msg`): the inbox keeps
both, the outside channels send Chinese.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone

from linli.core.errors import Msg
from linli.core.models import InboxMessage

logger = logging.getLogger("linli.notify")


def notify(*, user_ids: Iterable[int | None], kind: str, text: Msg, link: str = "") -> None:
    """Send `text` to each user once the surrounding transaction commits: a rolled-back change
    notifies nobody. With the database task backend the task row is written inside the same
    transaction (it commits or vanishes with the change, one commit fewer); with any other
    backend it is enqueued after the commit."""
    recipients = sorted({uid for uid in user_ids if uid})
    if not recipients:
        return

    def enqueue() -> None:
        notify_deliver.enqueue(user_ids=recipients, kind=kind, zh=text.zh, en=text.en, link=link)

    if _queue_in_database() and transaction.get_connection().in_atomic_block:
        enqueue()
    else:
        transaction.on_commit(enqueue)


def _queue_in_database() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


@task()
def notify_deliver(*, user_ids: list[int], kind: str, zh: str, en: str, link: str = "") -> int:
    """Deliver one message through every configured channel; returns how many channels took it."""
    taken = 0
    for name in settings.LINLI_NOTIFY_CHANNELS:
        try:
            CHANNELS[name](user_ids, kind, Msg(zh, en), link)
            taken += 1
        except Exception:  # one broken gateway must not silence the inbox
            logger.exception("notification channel %s failed for %s", name, kind)
    return taken


def _inbox(user_ids: list[int], kind: str, text: Msg, link: str) -> None:
    now = timezone.now()
    InboxMessage.objects.bulk_create(
        InboxMessage(user_id=uid, at=now, kind=kind, text_zh=text.zh, text_en=text.en, link=link) for uid in user_ids
    )


def _log(user_ids: list[int], kind: str, text: Msg, link: str) -> None:
    logger.info("notify %s to %s: %s", kind, user_ids, text.en)


def _email(user_ids: list[int], kind: str, text: Msg, link: str) -> None:
    from django.contrib.auth import get_user_model

    addresses = list(get_user_model().objects.filter(pk__in=user_ids).exclude(email="").values_list("email", flat=True))
    if addresses:
        send_mail(f"[邻里] {kind}", text.zh + (f"\n{link}" if link else ""), None, addresses)


def _gateway(url_setting: str) -> Callable[[list[int], str, Msg, str], None]:
    def send(user_ids: list[int], kind: str, text: Msg, link: str) -> None:
        url = getattr(settings, url_setting)
        if not url:
            return
        body = json.dumps({"to_users": user_ids, "kind": kind, "text": text.zh, "link": link}).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310 (operator-configured http(s) URL)
            pass

    return send


CHANNELS: dict[str, Callable[[list[int], str, Msg, str], None]] = {
    "inbox": _inbox,
    "log": _log,
    "email": _email,
    "sms": _gateway("LINLI_SMS_GATEWAY_URL"),
    "wechat": _gateway("LINLI_WECHAT_GATEWAY_URL"),
}


def inbox_messages(*, user_id: int | None, unread_only: bool = False) -> QuerySet[InboxMessage]:
    """A user's own messages, newest first (nobody reads anyone else's inbox)."""
    if user_id is None:
        return InboxMessage.objects.none()
    messages = InboxMessage.objects.filter(user_id=user_id)
    return messages.filter(read_at__isnull=True) if unread_only else messages


def inbox_list(*, user_id: int | None, limit: int = 50) -> list[InboxMessage]:
    return list(inbox_messages(user_id=user_id)[:limit])


def inbox_unread_count(user_id: int | None) -> int:
    return inbox_messages(user_id=user_id, unread_only=True).count()


def inbox_mark_read(*, user_id: int | None) -> int:
    """Mark all of a user's unread messages read; returns how many."""
    return inbox_messages(user_id=user_id, unread_only=True).update(read_at=timezone.now())


def inbox_message_open(*, user_id: int | None, pk: int) -> InboxMessage | None:
    """One of the user's messages, marked read on opening (a conditional update: opening it twice
    keeps the first time). None when it is not theirs or does not exist."""
    message = inbox_messages(user_id=user_id).filter(pk=pk).first()
    if message is not None and message.read_at is None:
        now = timezone.now()
        InboxMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now)
        message.read_at = now
    return message
