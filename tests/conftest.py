"""Fixtures shared by the whole suite."""

import re
import socket
import threading
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase
from rest_framework.test import APIClient

from tests import factories

User = get_user_model()

PASSWORD = factories.PASSWORD

# The uid and token are the last two segments of the link, whatever its path: the lookahead
# keeps a path such as "#/password/reset/confirm/" from being read as uid and token.
LINK_RE = re.compile(
    r"https://frontend\.example\.com/#/[\w/]+?/(?P<uid>[\w-]+)/(?P<token>[\w-]+)(?![\w/-])"
)


class CommittingAPIClient(APIClient):
    """An API client that runs ``on_commit`` callbacks when each request ends.

    pytest-django wraps each test in a transaction that never commits, so the emails djoser
    sends after commit would never go out. This client runs them as a real commit at the
    end of the request would.
    """

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**kwargs)


@pytest.fixture(autouse=True)
def clear_cache():
    """Start every test with empty throttle counters and social-login nonces."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return CommittingAPIClient()


@pytest.fixture
def user(db):
    return factories.create_user()


@pytest.fixture
def other_user(db):
    return factories.create_user(username="other", email="other@example.com")


@pytest.fixture
def staff_user(db):
    return factories.create_user(username="staff", email="staff@example.com", is_staff=True)


@pytest.fixture
def auth_client(api_client, user):
    """A client logged in as ``user`` through DRF's token header."""
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    api_client.token = token
    return api_client


def link_parts(message):
    """Return ``(uid, token)`` from the link in an email's text body."""
    body = message.body if hasattr(message, "body") else message
    match = LINK_RE.search(body)
    assert match, f"no link in email body: {body!r}"
    return match.group("uid"), match.group("token")


@pytest.fixture
def outbox():
    return mail.outbox


class RecordingHandler:
    """An aiosmtpd handler that keeps every message it accepts, or refuses all of them."""

    def __init__(self, refuse=False):
        self.messages = []
        self.refuse = refuse
        self.received = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "554 Transaction failed: refused by the test server"
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "message": parsed})
        self.received.set()
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_smtp(settings, refuse=False):
    handler = RecordingHandler(refuse=refuse)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    return controller, handler


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free 127.0.0.1 port; Django sends mail through it."""
    controller, handler = start_smtp(settings)
    yield handler
    controller.stop()


@pytest.fixture
def refusing_smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that refuses every message."""
    controller, handler = start_smtp(settings, refuse=True)
    yield handler
    controller.stop()


def smtp_text_body(parsed):
    """Return the plain-text part of a message received by the test SMTP server."""
    return parsed.get_body(preferencelist=("plain",)).get_content()


class SignalLog:
    """The account signals sent during a test, in order, as ``(name, sender, kwargs)``."""

    def __init__(self):
        self.calls = []
        self._receivers = []

    def connect(self, name, signal):
        def receiver(sender, **kwargs):
            kwargs.pop("signal", None)
            self.calls.append((name, sender, kwargs))

        signal.connect(receiver, weak=False)
        self._receivers.append((signal, receiver))

    def disconnect(self):
        for signal, receiver in self._receivers:
            signal.disconnect(receiver)

    def names(self):
        """Return the names of the signals sent, in order."""
        return [name for name, _sender, _kwargs in self.calls]

    def only(self, name):
        """Return ``(sender, kwargs)`` of the one ``name`` signal sent; fail if not exactly one."""
        matching = [(sender, kwargs) for sent, sender, kwargs in self.calls if sent == name]
        assert len(matching) == 1, f"{name} sent {len(matching)} times: {self.names()}"
        return matching[0]


@pytest.fixture
def signal_log():
    """Record djoser's signals and Django's ``user_logged_in`` and ``user_logged_out``."""
    from django.contrib.auth import signals as auth_signals

    from djoser import signals as djoser_signals

    log = SignalLog()
    for name in (
        "user_registered",
        "user_activated",
        "user_updated",
        "password_changed",
        "password_reset_completed",
        "username_changed",
        "user_deleted",
    ):
        log.connect(name, getattr(djoser_signals, name))
    log.connect("user_logged_in", auth_signals.user_logged_in)
    log.connect("user_logged_out", auth_signals.user_logged_out)
    yield log
    log.disconnect()


@pytest.fixture
def djoser_settings(settings):
    """Return a function that sets ``DJOSER`` keys for one test, keeping the others."""

    def update(**values):
        settings.DJOSER = {**settings.DJOSER, **values}

    return update


@pytest.fixture
def token_clock(monkeypatch):
    """Return a function that moves the clock of every emailed-link token generator.

    ``token_clock(seconds)`` makes Django's ``PasswordResetTokenGenerator`` (and so every
    djoser generator built on it) read a time ``seconds`` from now, to expire links.
    """
    from datetime import timedelta

    from django.contrib.auth.tokens import PasswordResetTokenGenerator

    real_now = PasswordResetTokenGenerator._now

    def shift(seconds):
        monkeypatch.setattr(
            PasswordResetTokenGenerator,
            "_now",
            lambda generator: real_now(generator) + timedelta(seconds=seconds),
        )

    return shift


def race(signal, first, second, hold_seconds=1.0):
    """Run ``first`` and ``second`` in two threads, the second while the first is mid-change.

    ``first`` runs until it sends ``signal`` (inside its transaction), then waits there for
    ``hold_seconds`` while ``second`` starts. Return their results as ``(first, second)``.
    Each thread closes its own database connection when done. Only a database with row
    locks (PostgreSQL) makes the second request wait; SQLite locks the whole file instead.
    """
    from django.db import connection

    state = threading.local()
    inside = threading.Event()
    results = {}

    def hold(sender, **kwargs):
        if getattr(state, "is_first", False):
            inside.set()
            threading.Event().wait(hold_seconds)

    def run(name, call):
        state.is_first = name == "first"
        try:
            results[name] = call()
        finally:
            inside.set()
            connection.close()

    signal.connect(hold, weak=False)
    try:
        first_thread = threading.Thread(target=run, args=("first", first))
        first_thread.start()
        inside.wait(timeout=30)
        second_thread = threading.Thread(target=run, args=("second", second))
        second_thread.start()
        first_thread.join(timeout=60)
        second_thread.join(timeout=60)
    finally:
        signal.disconnect(hold)
    return results.get("first"), results.get("second")
