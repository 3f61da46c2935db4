"""Notifications: sent after the commit only, through every configured channel; an SMS gateway
is a real local HTTP server here; a broken channel does not silence the others."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction

from linli.core.errors import Msg
from linli.core.models import InboxMessage
from linli.core.notify import inbox_mark_read, inbox_unread_count, notify, notify_deliver


class Gateway(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Gateway.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    Gateway.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sms"
    server.shutdown()


@pytest.mark.django_db
def test_a_rolled_back_change_notifies_nobody(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify(user_ids=[1], kind="accepted", text=Msg("已受理", "Accepted"))
        raise RuntimeError("the service failed after notifying")
    assert InboxMessage.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        notify(user_ids=[1, None, 1], kind="accepted", text=Msg("已受理", "Accepted"))
    assert list(InboxMessage.objects.values_list("user_id", "text_zh")) == [(1, "已受理")]
    assert inbox_unread_count(1) == 1 and inbox_mark_read(user_id=1) == 1 and inbox_unread_count(1) == 0


@pytest.mark.django_db
def test_the_sms_gateway_gets_the_chinese_text_and_a_broken_channel_is_skipped(settings, gateway):
    settings.LINLI_NOTIFY_CHANNELS = ["wechat", "sms", "inbox"]
    settings.LINLI_SMS_GATEWAY_URL = gateway
    settings.LINLI_WECHAT_GATEWAY_URL = "http://127.0.0.1:9/unreachable"
    taken = notify_deliver.call(user_ids=[7], kind="due_soon", zh="将到期", en="Due soon", link="/cases/x/")
    assert taken == 2  # sms and inbox; wechat failed and was logged
    assert Gateway.received == [{"to_users": [7], "kind": "due_soon", "text": "将到期", "link": "/cases/x/"}]
    assert InboxMessage.objects.get().text_en == "Due soon"


@pytest.mark.django_db
def test_with_the_database_queue_the_task_row_commits_or_vanishes_with_the_change(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(user_ids=[1], kind="accepted", text=Msg("已受理", "Accepted"))
        assert DBTaskResult.objects.count() == 1  # written inside the change's transaction
        raise RuntimeError("the service failed after notifying")
    assert DBTaskResult.objects.count() == 0
    with transaction.atomic():
        notify(user_ids=[1], kind="accepted", text=Msg("已受理", "Accepted"))
    assert DBTaskResult.objects.get().task_path == "linli.core.notify.notify_deliver"
