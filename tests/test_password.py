"""Set password, reset password and its confirm, with their emails and signals."""

import base64
from unittest.mock import ANY

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from djoser import signals, views
from djoser.tokens import activation_token_generator, username_reset_token_generator
from djoser.utils import encode_uid
from tests.conftest import link_parts, race
from tests.factories import PASSWORD, create_user, email_field, is_email_login_model, login_data

User = get_user_model()

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "new-staple-battery"
INVALID_TOKEN = {"token": ["Invalid token for given user."]}
INVALID_UID = {"uid": ["Invalid user id or user doesn't exist."]}
MISMATCH = {"non_field_errors": ["The two password fields didn't match."]}
CHANGED_SUBJECT = "Your password on Example has changed"
RESET_SUBJECT = "Reset your password on Example"

# (set password path, view class that sends the signal)
SET_PASSWORD_PATHS = [
    # The 2.x path.
    ("/auth/users/set_password/", views.UserViewSet),
    # The 1.x alias.
    ("/auth/password/", views.UserViewSet),
    # The 2.x path without its trailing slash.
    ("/auth/users/set_password", views.UserViewSet),
    # A 1.x urls.py that routes SetPasswordView itself.
    ("/legacy/password/", views.SetPasswordView),
]

# (reset path, reset confirm path, view class that sends the signal)
RESET_PATHS = [
    # The 2.x paths.
    ("/auth/users/reset_password/", "/auth/users/reset_password_confirm/", views.UserViewSet),
    # The 1.x aliases.
    ("/auth/password/reset/", "/auth/password/reset/confirm/", views.UserViewSet),
    # The 1.x aliases without their trailing slash.
    ("/auth/password/reset", "/auth/password/reset/confirm", views.UserViewSet),
    # A 1.x urls.py that routes the 1.x view classes itself.
    ("/legacy/password/reset/", "/legacy/password/reset/confirm/", views.PasswordResetConfirmView),
]


def can_log_in(client, user, password):
    response = client.post("/auth/token/login/", login_data(user, password), format="json")
    return response.status_code == 200


def email_of(user):
    return getattr(user, email_field())


def request_reset(client, user_or_email, path="/auth/users/reset_password/"):
    email = user_or_email if isinstance(user_or_email, str) else email_of(user_or_email)
    return client.post(path, {"email": email}, format="json")


def confirm_reset(client, message, path="/auth/users/reset_password_confirm/", **extra):
    uid, token = link_parts(message)
    body = {"uid": uid, "token": token, "new_password": NEW_PASSWORD, **extra}
    return client.post(path, body, format="json")


# Set password.


@pytest.mark.parametrize(("path", "view_class"), SET_PASSWORD_PATHS)
def test_set_password(auth_client, user, signal_log, path, view_class):
    response = auth_client.post(
        path, {"new_password": NEW_PASSWORD, "current_password": PASSWORD}, format="json"
    )

    assert response.status_code == 204
    assert response.content == b""
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    sender, kwargs = signal_log.only("password_changed")
    assert sender is view_class
    assert kwargs == {"user": user, "request": ANY}
    assert kwargs["request"].path == path
    assert signal_log.names() == ["password_changed"]
    assert mail.outbox == []
    assert not can_log_in(auth_client.__class__(), user, PASSWORD)
    assert can_log_in(auth_client.__class__(), user, NEW_PASSWORD)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        # The current password is wrong.
        (
            {"new_password": NEW_PASSWORD, "current_password": "wrong-password"},
            {"current_password": ["Invalid password."]},
        ),
        # The current password is missing.
        ({"new_password": NEW_PASSWORD}, {"current_password": ["This field is required."]}),
        # The new password fails Django's validators.
        (
            {"new_password": "123", "current_password": PASSWORD},
            {
                "new_password": [
                    "This password is too short. It must contain at least 8 characters.",
                    "This password is too common.",
                    "This password is entirely numeric.",
                ]
            },
        ),
        # The new password is missing.
        ({"current_password": PASSWORD}, {"new_password": ["This field is required."]}),
    ],
)
def test_set_password_invalid(auth_client, user, signal_log, body, errors):
    response = auth_client.post("/auth/users/set_password/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert signal_log.calls == []


def similar_password_user(client):
    """Create a user whose username is long enough to serve as a valid password, and log in."""
    user = create_user(username="maximilian-weber", email="max@example.com")
    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return user


def test_set_password_similar_to_user(api_client):
    user = similar_password_user(api_client)

    response = api_client.post(
        "/auth/users/set_password/",
        {"new_password": user.get_username(), "current_password": PASSWORD},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"new_password": [ANY]}
    assert "too similar" in response.json()["new_password"][0]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_set_password_anonymous(api_client, user):
    response = api_client.post(
        "/auth/users/set_password/",
        {"new_password": NEW_PASSWORD, "current_password": PASSWORD},
        format="json",
    )

    assert response.status_code == 401
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("retype", "extra", "status", "body"),
    [
        # Retype off: re_new_password is not asked for.
        (False, {}, 204, None),
        # Retype off: a mismatching retype is ignored.
        (False, {"re_new_password": "something-else-1"}, 204, None),
        # Retype on: a matching retype changes the password.
        (True, {"re_new_password": NEW_PASSWORD}, 204, None),
        # Retype on: a mismatch is an error of the whole request.
        (True, {"re_new_password": "something-else-1"}, 400, MISMATCH),
        # Retype on: the retype is required.
        (True, {}, 400, {"re_new_password": ["This field is required."]}),
    ],
)
def test_set_password_retype(auth_client, user, djoser_settings, retype, extra, status, body):
    djoser_settings(SET_PASSWORD_RETYPE=retype)

    response = auth_client.post(
        "/auth/users/set_password/",
        {"new_password": NEW_PASSWORD, "current_password": PASSWORD, **extra},
        format="json",
    )

    assert response.status_code == status
    user.refresh_from_db()
    if status == 204:
        assert user.check_password(NEW_PASSWORD)
    else:
        assert response.json() == body
        assert user.check_password(PASSWORD)


@pytest.mark.parametrize("confirmation", [True, False])
def test_set_password_confirmation_email(auth_client, user, djoser_settings, confirmation):
    djoser_settings(PASSWORD_CHANGED_EMAIL_CONFIRMATION=confirmation)

    response = auth_client.post(
        "/auth/users/set_password/",
        {"new_password": NEW_PASSWORD, "current_password": PASSWORD},
        format="json",
    )

    assert response.status_code == 204
    if confirmation:
        assert [(message.subject, message.to) for message in mail.outbox] == [
            (CHANGED_SUBJECT, [email_of(user)])
        ]
    else:
        assert mail.outbox == []


@pytest.mark.parametrize("logout", [True, False])
def test_set_password_token_logout(auth_client, user, djoser_settings, signal_log, logout):
    djoser_settings(LOGOUT_ON_PASSWORD_CHANGE=logout)

    response = auth_client.post(
        "/auth/users/set_password/",
        {"new_password": NEW_PASSWORD, "current_password": PASSWORD},
        format="json",
    )

    assert response.status_code == 204
    assert Token.objects.filter(user=user).exists() is not logout
    if logout:
        assert signal_log.names() == ["password_changed", "user_logged_out"]
        assert auth_client.get("/auth/users/me/").status_code == 401
    else:
        assert signal_log.names() == ["password_changed"]
        assert auth_client.get("/auth/users/me/").status_code == 200


def session_login(client, user, djoser_settings):
    djoser_settings(CREATE_SESSION_ON_LOGIN=True)
    response = client.post("/auth/token/login/", login_data(user), format="json")
    assert response.status_code == 200
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.parametrize("logout", [True, False])
def test_set_password_session(api_client, user, djoser_settings, signal_log, logout):
    session_login(api_client, user, djoser_settings)
    other_device = api_client.__class__()
    session_login(other_device, user, djoser_settings)
    djoser_settings(LOGOUT_ON_PASSWORD_CHANGE=logout)
    signal_log.calls.clear()

    response = api_client.post(
        "/auth/users/set_password/",
        {"new_password": NEW_PASSWORD, "current_password": PASSWORD},
        format="json",
    )

    assert response.status_code == 204
    if logout:
        assert signal_log.names() == ["password_changed", "user_logged_out"]
        assert SESSION_KEY not in api_client.session
        assert api_client.get("/auth/users/me/").status_code == 401
    else:
        # The session that changed the password stays logged in.
        assert signal_log.names() == ["password_changed"]
        assert api_client.get("/auth/users/me/").status_code == 200
    # Every other session ends, as Django ends sessions whose password hash is outdated.
    assert other_device.get("/auth/users/me/").status_code == 401


# Reset password.


@pytest.mark.parametrize(("reset_path", "confirm_path", "view_class"), RESET_PATHS)
def test_reset_password_flow(api_client, user, signal_log, reset_path, confirm_path, view_class):
    response = request_reset(api_client, user, reset_path)

    assert response.status_code == 204
    assert response.content == b""
    assert [(message.subject, message.to) for message in mail.outbox] == [
        (RESET_SUBJECT, [email_of(user)])
    ]
    message = mail.outbox[0]
    uid, token = link_parts(message)
    assert uid == encode_uid(user.pk)
    # The token is Django's, so a project can check links with default_token_generator.
    assert default_token_generator.check_token(user, token)
    assert user.get_username() in message.body
    assert signal_log.calls == []

    response = confirm_reset(api_client, message, confirm_path)

    assert response.status_code == 204
    assert response.content == b""
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    sender, kwargs = signal_log.only("password_reset_completed")
    assert sender is view_class
    assert kwargs == {"user": user, "request": ANY}
    assert kwargs["request"].path == confirm_path
    assert signal_log.names() == ["password_reset_completed"]
    assert len(mail.outbox) == 1
    assert can_log_in(api_client, user, NEW_PASSWORD)
    assert not can_log_in(api_client, user, PASSWORD)


def test_reset_link_used_twice(api_client, user, signal_log):
    request_reset(api_client, user)
    message = mail.outbox[0]
    assert confirm_reset(api_client, message).status_code == 204

    response = confirm_reset(api_client, message, new_password="another-staple-battery")

    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert signal_log.names() == ["password_reset_completed"]


def test_reset_link_after_set_password(api_client, auth_client, user):
    request_reset(api_client, user)
    message = mail.outbox[0]
    response = auth_client.post(
        "/auth/users/set_password/",
        {"new_password": "changed-staple-battery", "current_password": PASSWORD},
        format="json",
    )
    assert response.status_code == 204

    response = confirm_reset(api_client, message)

    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN
    user.refresh_from_db()
    assert user.check_password("changed-staple-battery")


def test_reset_link_after_other_reset(api_client, user):
    request_reset(api_client, user)
    request_reset(api_client, user)
    first, second = mail.outbox
    assert confirm_reset(api_client, second).status_code == 204

    response = confirm_reset(api_client, first)

    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN


def test_reset_link_after_login(api_client, user):
    request_reset(api_client, user)
    assert can_log_in(api_client, user, PASSWORD)

    response = confirm_reset(api_client, mail.outbox[0])

    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN


def test_reset_link_expired(api_client, user, settings, token_clock):
    settings.PASSWORD_RESET_TIMEOUT = 60
    request_reset(api_client, user)
    token_clock(61)

    response = confirm_reset(api_client, mail.outbox[0])

    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_link_within_timeout(api_client, user, settings, token_clock):
    settings.PASSWORD_RESET_TIMEOUT = 60
    request_reset(api_client, user)
    token_clock(59)

    assert confirm_reset(api_client, mail.outbox[0]).status_code == 204


def test_reset_confirm_validates_against_user(api_client):
    user = similar_password_user(api_client.__class__())
    request_reset(api_client, user)

    # The username as a password: only the similarity validator, which needs the real
    # account, rejects it.
    response = confirm_reset(api_client, mail.outbox[0], new_password=user.get_username())

    assert response.status_code == 400
    assert response.json() == {"new_password": [ANY]}
    assert "too similar" in response.json()["new_password"][0]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # A rejected password leaves the link usable.
    assert confirm_reset(api_client, mail.outbox[0]).status_code == 204


@pytest.mark.parametrize(
    ("retype", "extra", "status", "body"),
    [
        # Retype off: re_new_password is not asked for.
        (False, {}, 204, None),
        # Retype off: a mismatching retype is ignored.
        (False, {"re_new_password": "something-else-1"}, 204, None),
        # Retype on: a matching retype resets the password.
        (True, {"re_new_password": NEW_PASSWORD}, 204, None),
        # Retype on: a mismatch is an error of the whole request.
        (True, {"re_new_password": "something-else-1"}, 400, MISMATCH),
        # Retype on: the retype is required.
        (True, {}, 400, {"re_new_password": ["This field is required."]}),
    ],
)
def test_reset_confirm_retype(api_client, user, djoser_settings, retype, extra, status, body):
    djoser_settings(PASSWORD_RESET_CONFIRM_RETYPE=retype)
    request_reset(api_client, user)

    response = confirm_reset(api_client, mail.outbox[0], **extra)

    assert response.status_code == status
    user.refresh_from_db()
    if status == 204:
        assert user.check_password(NEW_PASSWORD)
    else:
        assert response.json() == body
        assert user.check_password(PASSWORD)


@pytest.mark.parametrize("confirmation", [True, False])
def test_reset_confirmation_email(api_client, user, djoser_settings, confirmation):
    djoser_settings(PASSWORD_CHANGED_EMAIL_CONFIRMATION=confirmation)
    request_reset(api_client, user)
    reset_message = mail.outbox.pop()

    assert confirm_reset(api_client, reset_message).status_code == 204

    if confirmation:
        assert [(message.subject, message.to) for message in mail.outbox] == [
            (CHANGED_SUBJECT, [email_of(user)])
        ]
    else:
        assert mail.outbox == []


@pytest.mark.parametrize(
    ("show_not_found", "status", "body"),
    [
        # Hidden: the same 204 as for a known address.
        (False, 204, None),
        # Allowed: the error names the field.
        (True, 400, {"email": ["User with given email does not exist."]}),
    ],
)
def test_reset_unknown_email(api_client, user, djoser_settings, show_not_found, status, body):
    djoser_settings(PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND=show_not_found)

    response = request_reset(api_client, "nobody@example.com")

    assert response.status_code == status
    if body is not None:
        assert response.json() == body
    assert mail.outbox == []


@pytest.mark.parametrize("show_not_found", [True, False])
def test_reset_known_email(api_client, user, djoser_settings, show_not_found):
    djoser_settings(PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND=show_not_found)

    response = request_reset(api_client, email_of(user).upper())

    assert response.status_code == 204
    assert [message.to for message in mail.outbox] == [[email_of(user)]]


@pytest.mark.parametrize(
    "case",
    [
        # An inactive account cannot reset its password.
        "inactive",
        # An account without a usable password (social login only) gets no link.
        "unusable password",
    ],
)
def test_reset_not_sent(api_client, user, case):
    if case == "inactive":
        user.is_active = False
    else:
        user.set_unusable_password()
    user.save()

    response = request_reset(api_client, user)

    assert response.status_code == 204
    assert mail.outbox == []


def test_reset_unicode_lookalike_email(api_client):
    create_user(email="mike@example.com")

    # The dotless i folds to "i" in some databases' case-insensitive match, but it is
    # another address: the owner of "mike@" must not be mailed because of it.
    response = request_reset(api_client, "m\u0131ke@example.com")

    assert response.status_code == 204
    assert mail.outbox == []


@pytest.mark.skipif(is_email_login_model(), reason="the email is unique on this model")
def test_reset_shared_email(api_client, signal_log):
    first = create_user(username="first", email="shared@example.com")
    second = create_user(username="second", email="Shared@Example.com")
    create_user(username="inactive", email="shared@example.com", is_active=False)
    no_password = create_user(username="social", email="shared@example.com")
    no_password.set_unusable_password()
    no_password.save()

    response = request_reset(api_client, "shared@example.com")

    assert response.status_code == 204
    assert len(mail.outbox) == 2
    messages = {link_parts(message)[0]: message for message in mail.outbox}
    assert set(messages) == {encode_uid(first.pk), encode_uid(second.pk)}
    assert messages[encode_uid(first.pk)].to == ["shared@example.com"]
    assert messages[encode_uid(second.pk)].to == [email_of(second)]

    assert confirm_reset(api_client, messages[encode_uid(second.pk)]).status_code == 204

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.check_password(NEW_PASSWORD)
    assert first.check_password(PASSWORD)
    sender, kwargs = signal_log.only("password_reset_completed")
    assert kwargs["user"] == second


def b64(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def token_of(generator):
    return lambda user, other: {"uid": encode_uid(user.pk), "token": generator.make_token(user)}


# (case, how to build uid and token from the user and another user, expected body)
BAD_LINKS = [
    # A uid that is not base64 at all.
    ("uid not base64", lambda user, other: {"uid": "%%%", "token": "x"}, INVALID_UID),
    # A uid whose bytes are not UTF-8.
    ("uid not utf-8", lambda user, other: {"uid": b64(b"\xff\xfe"), "token": "x"}, INVALID_UID),
    # A uid that decodes to text which is no primary key.
    ("uid not a key", lambda user, other: {"uid": b64(b"abc"), "token": "x"}, INVALID_UID),
    # A uid that names nobody.
    ("uid unknown", lambda user, other: {"uid": b64(b"999999"), "token": "x"}, INVALID_UID),
    # A number beyond any integer column.
    ("uid overflows", lambda user, other: {"uid": b64(b"9" * 40), "token": "x"}, INVALID_UID),
    # A uid that is not a string.
    ("uid number", lambda user, other: {"uid": 12, "token": "x"}, INVALID_UID),
    # A NUL byte.
    (
        "uid nul",
        lambda user, other: {"uid": "M\x00Q", "token": "x"},
        {"uid": ["Null characters are not allowed."]},
    ),
    # A token that is garbage.
    (
        "token garbage",
        lambda user, other: {"uid": encode_uid(user.pk), "token": "zz-zz"},
        INVALID_TOKEN,
    ),
    # A token of the right shape that was never issued.
    (
        "token forged",
        lambda user, other: {"uid": encode_uid(user.pk), "token": "c4x2ab-" + "0" * 32},
        INVALID_TOKEN,
    ),
    # A blank token.
    (
        "token blank",
        lambda user, other: {"uid": encode_uid(user.pk), "token": ""},
        {"token": ["This field may not be blank."]},
    ),
    # Another user's reset token with this user's uid.
    (
        "token foreign",
        lambda user, other: {
            "uid": encode_uid(user.pk),
            "token": default_token_generator.make_token(other),
        },
        INVALID_TOKEN,
    ),
    # An activation token for the same user.
    ("token for activation", token_of(activation_token_generator), INVALID_TOKEN),
    # A username reset token for the same user.
    ("token for username reset", token_of(username_reset_token_generator), INVALID_TOKEN),
]


@pytest.mark.parametrize(
    ("build", "body"), [case[1:] for case in BAD_LINKS], ids=[case[0] for case in BAD_LINKS]
)
def test_reset_confirm_bad_link(api_client, user, other_user, signal_log, build, body):
    response = api_client.post(
        "/auth/users/reset_password_confirm/",
        {**build(user, other_user), "new_password": NEW_PASSWORD},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == body
    user.refresh_from_db()
    other_user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert other_user.check_password(PASSWORD)
    assert signal_log.calls == []
    assert mail.outbox == []


def test_reset_token_not_for_activation(api_client):
    inactive = create_user(email="inactive@example.com", is_active=False)

    response = api_client.post(
        "/auth/users/activation/",
        {"uid": encode_uid(inactive.pk), "token": default_token_generator.make_token(inactive)},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN
    inactive.refresh_from_db()
    assert inactive.is_active is False


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL makes the second request wait"
)
@pytest.mark.django_db(transaction=True)
def test_reset_confirm_race(signal_log):
    user = create_user()
    link = {"uid": encode_uid(user.pk), "token": default_token_generator.make_token(user)}

    def post(password):
        body = {**link, "new_password": password}
        return lambda: APIClient().post("/auth/users/reset_password_confirm/", body, format="json")

    # The second request arrives while the first holds the account, mid-reset.
    first, second = race(
        signals.password_reset_completed, post(NEW_PASSWORD), post("another-staple-battery")
    )

    assert first.status_code == 204
    assert second.status_code == 400
    assert second.json() == INVALID_TOKEN
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert signal_log.names().count("password_reset_completed") == 1
