"""Every flow's email through a real SMTP server on 127.0.0.1, and through one that refuses."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import free_port, link_parts, smtp_text_body, start_smtp
from tests.factories import PASSWORD, email_field, registration_data, username_value

User = get_user_model()
FIELD = User.USERNAME_FIELD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "new-staple-battery"

# The shape of every token djoser emails: a base-36 timestamp, a dash and a hex digest.
TOKEN_RE = re.compile(r"\b[0-9a-z]{1,13}-[0-9a-f]{20,}\b")


def received(server):
    """Return ``(recipients, subject, text body)`` of each message the server accepted."""
    return [
        (entry["to"], entry["message"]["Subject"], smtp_text_body(entry["message"]))
        for entry in server.messages
    ]


def email_of(user):
    return getattr(user, email_field())


@pytest.fixture
def all_emails_on(djoser_settings):
    djoser_settings(
        SEND_ACTIVATION_EMAIL=True,
        SEND_CONFIRMATION_EMAIL=True,
        PASSWORD_CHANGED_EMAIL_CONFIRMATION=True,
        USERNAME_CHANGED_EMAIL_CONFIRMATION=True,
    )


def test_activation_over_smtp(api_client, smtp_server, all_emails_on):
    data = registration_data()
    address = data[email_field()]
    assert api_client.post("/auth/users/", data, format="json").status_code == 201

    [(to, subject, body)] = received(smtp_server)
    assert to == [address]
    assert subject == "Activate your account on Example"
    uid, token = link_parts(body)
    response = api_client.post("/auth/users/activation/", {"uid": uid, "token": token})

    assert response.status_code == 204
    assert User.objects.get(**{email_field(): address}).is_active is True
    assert received(smtp_server)[1][:2] == ([address], "Your account on Example is active")


def test_resend_activation_over_smtp(api_client, smtp_server, all_emails_on):
    data = registration_data()
    address = data[email_field()]
    api_client.post("/auth/users/", data, format="json")

    response = api_client.post("/auth/users/resend_activation/", {"email": address})

    assert response.status_code == 204
    assert len(smtp_server.messages) == 2
    to, subject, body = received(smtp_server)[1]
    assert (to, subject) == ([address], "Activate your account on Example")
    uid, token = link_parts(body)
    response = api_client.post("/auth/users/activation/", {"uid": uid, "token": token})
    assert response.status_code == 204


def test_password_reset_over_smtp(api_client, user, smtp_server, all_emails_on):
    response = api_client.post("/auth/users/reset_password/", {"email": email_of(user)})

    assert response.status_code == 204
    [(to, subject, body)] = received(smtp_server)
    assert (to, subject) == ([email_of(user)], "Reset your password on Example")
    uid, token = link_parts(body)
    response = api_client.post(
        "/auth/users/reset_password_confirm/",
        {"uid": uid, "token": token, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert received(smtp_server)[1][:2] == (
        [email_of(user)],
        "Your password on Example has changed",
    )


def test_set_password_over_smtp(auth_client, user, smtp_server, all_emails_on):
    response = auth_client.post(
        "/auth/users/set_password/",
        {"new_password": NEW_PASSWORD, "current_password": PASSWORD},
    )

    assert response.status_code == 204
    [(to, subject, body)] = received(smtp_server)
    assert (to, subject) == ([email_of(user)], "Your password on Example has changed")


def test_set_username_over_smtp(auth_client, user, smtp_server, djoser_settings):
    djoser_settings(USERNAME_CHANGED_EMAIL_CONFIRMATION=True)
    new_name = username_value("renamed")

    response = auth_client.post(
        f"/auth/users/set_{FIELD}/", {f"new_{FIELD}": new_name, "current_password": PASSWORD}
    )

    assert response.status_code == 204
    [(to, subject, body)] = received(smtp_server)
    user.refresh_from_db()
    assert (to, subject) == ([email_of(user)], "Your username on Example has changed")
    assert new_name in body


def test_username_reset_over_smtp(api_client, user, smtp_server, djoser_settings):
    djoser_settings(USERNAME_CHANGED_EMAIL_CONFIRMATION=True)
    new_name = username_value("renamed")

    response = api_client.post(f"/auth/users/reset_{FIELD}/", {"email": email_of(user)})

    assert response.status_code == 204
    [(to, subject, body)] = received(smtp_server)
    assert (to, subject) == ([email_of(user)], "Reset your username on Example")
    uid, token = link_parts(body)
    response = api_client.post(
        f"/auth/users/reset_{FIELD}_confirm/",
        {"uid": uid, "token": token, f"new_{FIELD}": new_name},
    )

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.get_username() == new_name
    assert received(smtp_server)[1][:2] == (
        [email_of(user)],
        "Your username on Example has changed",
    )


def test_html_part_over_smtp(api_client, user, smtp_server):
    api_client.post("/auth/users/reset_password/", {"email": email_of(user)})

    message = smtp_server.messages[0]["message"]
    html = message.get_body(preferencelist=("html",)).get_content()
    text = smtp_text_body(message)
    assert link_parts(html) == link_parts(text)
    assert html.lstrip().startswith("<p>")


# A mail server that refuses, or none at all.


@pytest.fixture
def no_smtp_server(settings):
    """Point Django at a free 127.0.0.1 port where no server listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture(params=["refusing", "down"])
def failing_smtp(request):
    """A mail server that refuses every message, or none listening at all."""
    if request.param == "refusing":
        return request.getfixturevalue("refusing_smtp_server")
    return request.getfixturevalue("no_smtp_server")


def test_token_pattern(user):
    from django.contrib.auth.tokens import default_token_generator

    from djoser.tokens import activation_token_generator, username_reset_token_generator

    # The log checks below are only as good as this pattern.
    for generator in (
        default_token_generator,
        activation_token_generator,
        username_reset_token_generator,
    ):
        token = generator.make_token(user)
        assert TOKEN_RE.fullmatch(token), token


def failure_records(caplog):
    return [record for record in caplog.records if record.name.startswith("djoser")]


def assert_logged_failure(caplog, purpose, user):
    """Check the one log line about the failed send: account and purpose, never a token."""
    records = failure_records(caplog)
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.ERROR
    message = record.getMessage()
    assert purpose in message
    assert str(user.pk) in message
    assert not TOKEN_RE.search(caplog.text), caplog.text


def test_registration_smtp_failure(api_client, failing_smtp, all_emails_on, caplog):
    data = registration_data()

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201
    user = User.objects.get(**{email_field(): data[email_field()]})
    assert user.is_active is False
    assert_logged_failure(caplog, "activation", user)


def test_password_reset_smtp_failure(api_client, user, failing_smtp, caplog):
    response = api_client.post("/auth/users/reset_password/", {"email": email_of(user)})

    assert response.status_code == 204
    assert_logged_failure(caplog, "password_reset", user)


def test_username_reset_smtp_failure(api_client, user, failing_smtp, caplog):
    response = api_client.post(f"/auth/users/reset_{FIELD}/", {"email": email_of(user)})

    assert response.status_code == 204
    assert_logged_failure(caplog, "username_reset", user)


def test_set_password_smtp_failure(auth_client, user, failing_smtp, all_emails_on, caplog):
    response = auth_client.post(
        "/auth/users/set_password/",
        {"new_password": NEW_PASSWORD, "current_password": PASSWORD},
    )

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert_logged_failure(caplog, "password_changed_confirmation", user)


def test_set_username_smtp_failure(auth_client, user, failing_smtp, djoser_settings, caplog):
    djoser_settings(USERNAME_CHANGED_EMAIL_CONFIRMATION=True)
    new_name = username_value("renamed")

    response = auth_client.post(
        f"/auth/users/set_{FIELD}/", {f"new_{FIELD}": new_name, "current_password": PASSWORD}
    )

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.get_username() == new_name
    assert_logged_failure(caplog, "username_changed_confirmation", user)


def test_resend_after_smtp_failure(
    api_client, refusing_smtp_server, all_emails_on, settings, caplog
):
    data = registration_data()
    address = data[email_field()]
    assert api_client.post("/auth/users/", data, format="json").status_code == 201
    assert len(failure_records(caplog)) == 1

    # The mail server is back: resend activation is how the user gets a link.
    controller, server = start_smtp(settings)
    try:
        response = api_client.post("/auth/users/resend_activation/", {"email": address})
        assert response.status_code == 204
        [(to, subject, body)] = received(server)
    finally:
        controller.stop()

    assert to == [address]
    uid, token = link_parts(body)
    response = api_client.post("/auth/users/activation/", {"uid": uid, "token": token})
    assert response.status_code == 204
    assert User.objects.get(**{email_field(): address}).is_active is True
