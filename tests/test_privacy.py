"""Privacy: passwords, tokens and emailed links stay out of error reports and logs.

Error reports are built the way Django builds the ones it emails to ADMINS: with
``ExceptionReporter`` and the default ``SafeExceptionReporterFilter``, from a request that
failed with an exception inside djoser. Logs are every record of every logger, captured at
DEBUG while the account flows run.
"""

import logging
import sys
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.signals import got_request_exception
from django.views.debug import ExceptionReporter
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework_simplejwt import serializers as jwt_serializers

from djoser import signals
from djoser.conf import settings as conf
from djoser.tokens import activation_token_generator
from djoser.utils import encode_uid
from tests.bodies import FORM_CONTENT_TYPE
from tests.conftest import link_parts
from tests.factories import PASSWORD, create_user, email_field, login_data, registration_data

User = get_user_model()

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "secret-staple-battery-9"


class Exploded(Exception):
    """The failure these tests cause inside a request."""


class ExplodingValidator:
    """A password validator that fails with an exception, as a broken one would."""

    def validate(self, password, user=None):
        raise Exploded("the password validator failed")

    def get_help_text(self):
        return ""


def exploding_rule(user):
    """A SimpleJWT USER_AUTHENTICATION_RULE that fails with an exception."""
    raise Exploded("the authentication rule failed")


def explode(sender, **kwargs):
    raise Exploded(f"a receiver of {sender} failed")


@pytest.fixture
def error_report():
    """Return a function that sends a request that fails; it returns the error report.

    The report is the text and HTML that Django's AdminEmailHandler would send.
    """

    def report(send):
        captured = {}

        def receiver(sender, request, **kwargs):
            captured["request"] = request
            captured["exc_info"] = sys.exc_info()

        got_request_exception.connect(receiver)
        try:
            with pytest.raises(Exploded):
                send()
        finally:
            got_request_exception.disconnect(receiver)
        reporter = ExceptionReporter(captured["request"], *captured["exc_info"], is_email=True)
        return reporter.get_traceback_text() + reporter.get_traceback_html()

    return report


def assert_hidden(report, *secrets):
    # The report is real: it shows the failure and djoser's frames.
    assert "Exploded" in report
    assert "djoser" in report
    for secret in secrets:
        assert secret not in report


def json_and_form(client, path, body):
    """Return senders of ``body`` to ``path`` as JSON and as an HTML form."""
    return [
        lambda: client.post(path, body, format="json"),
        lambda: client.generic("POST", path, urlencode(body), FORM_CONTENT_TYPE),
    ]


@pytest.fixture
def exploding_validator(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [{"NAME": "tests.test_privacy.ExplodingValidator"}]


# Error reports.


def test_register_report(error_report, exploding_validator):
    body = registration_data(password=NEW_PASSWORD)

    for send in json_and_form(APIClient(), "/auth/users/", body):
        assert_hidden(error_report(send), NEW_PASSWORD)


def test_set_password_report(error_report, exploding_validator, user):
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = {"new_password": NEW_PASSWORD, "current_password": PASSWORD}

    for send in json_and_form(client, "/auth/users/set_password/", body):
        assert_hidden(error_report(send), NEW_PASSWORD, PASSWORD, token.key)


def test_reset_confirm_report(error_report, exploding_validator, api_client, user):
    api_client.post("/auth/users/reset_password/", {"email": getattr(user, email_field())}, format="json")
    uid, token = link_parts(mail.outbox[0])
    body = {"uid": uid, "token": token, "new_password": NEW_PASSWORD}

    for send in json_and_form(APIClient(), "/auth/users/reset_password_confirm/", body):
        assert_hidden(error_report(send), NEW_PASSWORD, token)


def test_activation_report(error_report, djoser_settings):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)
    user = create_user(is_active=False)
    token = activation_token_generator.make_token(user)
    body = {"uid": encode_uid(user.pk), "token": token}
    signals.user_activated.connect(explode)
    try:
        for send in json_and_form(APIClient(), "/auth/users/activation/", body):
            assert_hidden(error_report(send), token)
    finally:
        signals.user_activated.disconnect(explode)


def test_token_login_report(error_report, user):
    user_logged_in.connect(explode)
    try:
        for send in json_and_form(APIClient(), "/auth/token/login/", login_data(user)):
            report = error_report(send)
            assert_hidden(report, PASSWORD)
            # The token created before the failure is hidden too.
            for token in Token.objects.filter(user=user):
                assert token.key not in report
    finally:
        user_logged_in.disconnect(explode)


def test_jwt_reports(error_report, monkeypatch, user, djoser_settings):
    djoser_settings(JWT_COOKIE_MODE="cookie_and_body")
    pair = APIClient().post("/auth/jwt/create/", login_data(user), format="json").json()
    # SimpleJWT reads its settings object once per module, so the rule is patched there.
    monkeypatch.setattr(jwt_serializers.api_settings, "USER_AUTHENTICATION_RULE", exploding_rule)
    client = APIClient()
    # The refresh cookie, as a browser in cookie mode sends it.
    client.cookies[conf.JWT_REFRESH_COOKIE_NAME] = pair["refresh"]

    for send in json_and_form(client, "/auth/jwt/create/", login_data(user)):
        assert_hidden(error_report(send), PASSWORD, pair["refresh"])
    for send in json_and_form(client, "/auth/jwt/refresh/", {"refresh": pair["refresh"]}):
        assert_hidden(error_report(send), pair["refresh"])


def test_set_username_report(error_report, user):
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    field = User.USERNAME_FIELD
    new_value = "renamed@example.com" if field == email_field() else "renamed"
    body = {f"new_{field}": new_value, "current_password": PASSWORD}
    signals.username_changed.connect(explode)
    try:
        for send in json_and_form(client, f"/auth/users/set_{field}/", body):
            assert_hidden(error_report(send), PASSWORD, token.key)
    finally:
        signals.username_changed.disconnect(explode)


# Logs.


def test_flows_log_no_secret(caplog, api_client, djoser_settings, refusing_smtp_server):
    djoser_settings(SEND_ACTIVATION_EMAIL=True, THROTTLING=False)
    caplog.set_level(logging.DEBUG)
    secrets = [PASSWORD, NEW_PASSWORD]
    client = api_client

    # Registration and activation; the SMTP server refuses every email, so sending fails
    # and is logged, and the links are built and never delivered.
    body = registration_data(password=PASSWORD)
    assert client.post("/auth/users/", body, format="json").status_code == 201
    user = User.objects.get(**{email_field(): body[email_field()]})
    token = activation_token_generator.make_token(user)
    secrets.append(token)
    response = client.post("/auth/users/activation/", {"uid": encode_uid(user.pk), "token": token}, format="json")
    assert response.status_code == 204

    # Logins that fail and succeed.
    assert client.post("/auth/token/login/", login_data(user, "wrong-" + PASSWORD), format="json").status_code == 400
    key = client.post("/auth/token/login/", login_data(user), format="json").json()["auth_token"]
    secrets.append(key)
    pair = client.post("/auth/jwt/create/", login_data(user), format="json").json()
    secrets.extend([pair["access"], pair["refresh"]])
    assert client.post("/auth/jwt/refresh/", {"refresh": pair["refresh"]}, format="json").status_code == 200
    assert client.post("/auth/jwt/verify/", {"token": "garbage-token"}, format="json").status_code == 401

    # Reset password: the email fails, and the link is used directly.
    email = getattr(user, email_field())
    assert client.post("/auth/users/reset_password/", {"email": email}, format="json").status_code == 204
    user.refresh_from_db()
    reset_token = default_token_generator.make_token(user)
    secrets.append(reset_token)
    body = {"uid": encode_uid(user.pk), "token": reset_token, "new_password": NEW_PASSWORD}
    assert client.post("/auth/users/reset_password_confirm/", body, format="json").status_code == 204
    # The used link, again: a 400 that Django logs.
    assert client.post("/auth/users/reset_password_confirm/", body, format="json").status_code == 400

    # Set password with a wrong current password, then logout.
    key = client.post("/auth/token/login/", login_data(user, NEW_PASSWORD), format="json").json()["auth_token"]
    secrets.append(key)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    wrong = {"new_password": PASSWORD + "-2", "current_password": "wrong-" + NEW_PASSWORD}
    assert client.post("/auth/users/set_password/", wrong, format="json").status_code == 400
    assert client.post("/auth/token/logout/").status_code == 204

    # aiosmtpd's "mail.log" is the test mail server's own log of what it received, the
    # emails themselves; it is not the application's.
    records = [record for record in caplog.records if not record.name.startswith("mail.log")]
    # The failed emails were logged, so the check below has records to read.
    assert any(record.name == "djoser.flows" and record.levelno >= logging.ERROR for record in records)
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    for record in records:
        text = formatter.format(record)
        for secret in secrets:
            assert secret not in text, f"{record.name} logged a secret: {text[:200]}"
