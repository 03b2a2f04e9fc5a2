"""Set username, reset username and its confirm, with their emails and signals.

Both flows change the model's ``USERNAME_FIELD`` and name their request fields after it:
``new_username`` on Django's ``User``, ``new_email`` on a model whose username is its email.
"""

import base64
from unittest.mock import ANY

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail

from djoser import views
from djoser.tokens import activation_token_generator, username_reset_token_generator
from djoser.utils import encode_uid
from tests.conftest import link_parts
from tests.factories import (
    PASSWORD,
    create_user,
    email_field,
    is_email_login_model,
    login_data,
    username_value,
)

User = get_user_model()
FIELD = User.USERNAME_FIELD
NEW_KEY = f"new_{FIELD}"
RETYPE_KEY = f"re_new_{FIELD}"
NEW_NAME = username_value("renamed")

pytestmark = pytest.mark.django_db

INVALID_TOKEN = {"token": ["Invalid token for given user."]}
INVALID_UID = {"uid": ["Invalid user id or user doesn't exist."]}
MISMATCH = {"non_field_errors": [f"The two {FIELD} fields didn't match."]}
CHANGED_SUBJECT = "Your username on Example has changed"
RESET_SUBJECT = "Reset your username on Example"

# (set username path, view class that sends the signal)
SET_USERNAME_PATHS = [
    # The 2.x path, named after the USERNAME_FIELD.
    (f"/auth/users/set_{FIELD}/", views.UserViewSet),
    # The 1.2 viewset alias.
    ("/auth/users/change_username/", views.UserViewSet),
    # The 1.x alias, named after the USERNAME_FIELD.
    (f"/auth/{FIELD}/", views.UserViewSet),
    # The 2.x path without its trailing slash.
    (f"/auth/users/set_{FIELD}", views.UserViewSet),
    # A 1.x urls.py that routes SetUsernameView itself.
    ("/legacy/username/", views.SetUsernameView),
]

RESET_PATH = f"/auth/users/reset_{FIELD}/"
CONFIRM_PATH = f"/auth/users/reset_{FIELD}_confirm/"


def email_of(user):
    return getattr(user, email_field())


def can_log_in(client, user):
    response = client.post("/auth/token/login/", login_data(user), format="json")
    return response.status_code == 200


def set_username(client, path=f"/auth/users/set_{FIELD}/", **extra):
    body = {NEW_KEY: NEW_NAME, "current_password": PASSWORD, **extra}
    return client.post(path, body, format="json")


def request_reset(client, email, path=RESET_PATH):
    return client.post(path, {"email": email}, format="json")


def confirm_reset(client, message, path=CONFIRM_PATH, **extra):
    uid, token = link_parts(message)
    body = {"uid": uid, "token": token, NEW_KEY: NEW_NAME, **extra}
    return client.post(path, body, format="json")


# Set username.


@pytest.mark.parametrize(("path", "view_class"), SET_USERNAME_PATHS)
def test_set_username(auth_client, user, signal_log, path, view_class):
    response = set_username(auth_client, path)

    assert response.status_code == 204
    assert response.content == b""
    user.refresh_from_db()
    assert user.get_username() == NEW_NAME
    sender, kwargs = signal_log.only("username_changed")
    assert sender is view_class
    assert kwargs == {"user": user, "request": ANY}
    assert kwargs["request"].path == path
    assert signal_log.names() == ["username_changed"]
    assert mail.outbox == []
    assert can_log_in(auth_client.__class__(), user)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        # The current password is wrong.
        (
            {NEW_KEY: NEW_NAME, "current_password": "wrong-password"},
            {"current_password": ["Invalid password."]},
        ),
        # The current password is missing.
        ({NEW_KEY: NEW_NAME}, {"current_password": ["This field is required."]}),
        # The new username is missing.
        ({"current_password": PASSWORD}, {NEW_KEY: ["This field is required."]}),
        # The new username is blank.
        ({NEW_KEY: "", "current_password": PASSWORD}, {NEW_KEY: ["This field may not be blank."]}),
    ],
)
def test_set_username_invalid(auth_client, user, signal_log, body, errors):
    old_username = user.get_username()

    response = auth_client.post(f"/auth/users/set_{FIELD}/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    user.refresh_from_db()
    assert user.get_username() == old_username
    assert signal_log.calls == []


def test_set_username_taken(auth_client, user, other_user, signal_log):
    # Another account holds the name in other letter case: still taken.
    taken = other_user.get_username().upper()

    response = auth_client.post(
        f"/auth/users/set_{FIELD}/", {NEW_KEY: taken, "current_password": PASSWORD}, format="json"
    )

    assert response.status_code == 400
    label = User._meta.get_field(FIELD).verbose_name
    assert response.json() == {NEW_KEY: [f"A user with that {label} already exists."]}
    assert signal_log.calls == []


@pytest.mark.skipif(is_email_login_model(), reason="an email cannot hold these characters")
def test_set_username_rejects_invalid_characters(auth_client, user):
    response = auth_client.post(
        f"/auth/users/set_{FIELD}/",
        {NEW_KEY: "no spaces allowed", "current_password": PASSWORD},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == [NEW_KEY]
    user.refresh_from_db()
    assert user.get_username() == "john"


@pytest.mark.parametrize(
    ("retype", "extra", "status", "body"),
    [
        # Retype off: the retype is not asked for.
        (False, {}, 204, None),
        # Retype off: a mismatching retype is ignored.
        (False, {RETYPE_KEY: username_value("other-name")}, 204, None),
        # Retype on: a matching retype changes the username.
        (True, {RETYPE_KEY: NEW_NAME}, 204, None),
        # Retype on: a mismatch is an error of the whole request.
        (True, {RETYPE_KEY: username_value("other-name")}, 400, MISMATCH),
        # Retype on: the retype is required.
        (True, {}, 400, {RETYPE_KEY: ["This field is required."]}),
    ],
)
def test_set_username_retype(auth_client, user, djoser_settings, retype, extra, status, body):
    djoser_settings(SET_USERNAME_RETYPE=retype)
    old_username = user.get_username()

    response = set_username(auth_client, **extra)

    assert response.status_code == status
    user.refresh_from_db()
    if status == 204:
        assert user.get_username() == NEW_NAME
    else:
        assert response.json() == body
        assert user.get_username() == old_username


@pytest.mark.parametrize("confirmation", [True, False])
def test_set_username_confirmation_email(auth_client, user, djoser_settings, confirmation):
    djoser_settings(USERNAME_CHANGED_EMAIL_CONFIRMATION=confirmation)

    assert set_username(auth_client).status_code == 204

    user.refresh_from_db()
    if confirmation:
        assert [(message.subject, message.to) for message in mail.outbox] == [
            (CHANGED_SUBJECT, [email_of(user)])
        ]
        assert NEW_NAME in mail.outbox[0].body
    else:
        assert mail.outbox == []


@pytest.mark.skipif(not is_email_login_model(), reason="the username is not the email here")
@pytest.mark.parametrize("activation", [True, False])
def test_set_email_login_activation(auth_client, user, djoser_settings, signal_log, activation):
    djoser_settings(SEND_ACTIVATION_EMAIL=activation)

    assert set_username(auth_client).status_code == 204

    user.refresh_from_db()
    assert user.get_username() == NEW_NAME
    assert user.is_active is not activation
    signal_log.only("username_changed")
    if not activation:
        assert mail.outbox == []
        return
    assert [(message.subject, message.to) for message in mail.outbox] == [
        ("Activate your account on Example", [NEW_NAME])
    ]
    uid, token = link_parts(mail.outbox[0])
    response = auth_client.__class__().post(
        "/auth/users/activation/", {"uid": uid, "token": token}, format="json"
    )
    assert response.status_code == 204
    user.refresh_from_db()
    assert user.is_active is True
    signal_log.only("user_activated")


@pytest.mark.skipif(not is_email_login_model(), reason="the username is not the email here")
def test_set_email_login_same_address(auth_client, user, djoser_settings, signal_log):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)

    response = set_username(auth_client, **{NEW_KEY: user.get_username()})

    # The address did not change, so there is nothing to confirm again.
    assert response.status_code == 204
    user.refresh_from_db()
    assert user.is_active is True
    assert mail.outbox == []
    signal_log.only("username_changed")


# Reset username.


def test_reset_username_flow(api_client, user, signal_log):
    response = request_reset(api_client, email_of(user))

    assert response.status_code == 204
    assert response.content == b""
    assert [(message.subject, message.to) for message in mail.outbox] == [
        (RESET_SUBJECT, [email_of(user)])
    ]
    message = mail.outbox[0]
    uid, token = link_parts(message)
    assert uid == encode_uid(user.pk)
    assert username_reset_token_generator.check_token(user, token)
    assert signal_log.calls == []

    response = confirm_reset(api_client, message)

    assert response.status_code == 204
    assert response.content == b""
    user.refresh_from_db()
    assert user.get_username() == NEW_NAME
    sender, kwargs = signal_log.only("username_changed")
    assert sender is views.UserViewSet
    assert kwargs == {"user": user, "request": ANY}
    assert kwargs["request"].path == CONFIRM_PATH
    assert signal_log.names() == ["username_changed"]
    assert len(mail.outbox) == 1
    assert can_log_in(api_client, user)


def test_reset_username_link_used_twice(api_client, user):
    request_reset(api_client, email_of(user))
    message = mail.outbox[0]
    assert confirm_reset(api_client, message).status_code == 204

    response = confirm_reset(api_client, message, **{NEW_KEY: username_value("third")})

    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN
    user.refresh_from_db()
    assert user.get_username() == NEW_NAME


def test_reset_username_link_after_set_username(api_client, auth_client, user):
    request_reset(api_client, email_of(user))
    message = mail.outbox[0]
    body = {NEW_KEY: username_value("elsewhere"), "current_password": PASSWORD}
    assert auth_client.post(f"/auth/users/set_{FIELD}/", body, format="json").status_code == 204

    response = confirm_reset(api_client, message)

    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN


def test_reset_username_link_after_password_change(api_client, user):
    request_reset(api_client, email_of(user))
    user.set_password("changed-staple-battery")
    user.save()

    response = confirm_reset(api_client, mail.outbox[0])

    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN


def test_reset_username_link_expired(api_client, user, settings, token_clock):
    settings.PASSWORD_RESET_TIMEOUT = 60
    old_username = user.get_username()
    request_reset(api_client, email_of(user))
    token_clock(61)

    response = confirm_reset(api_client, mail.outbox[0])

    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN
    user.refresh_from_db()
    assert user.get_username() == old_username


def test_reset_username_taken(api_client, user, other_user):
    request_reset(api_client, email_of(user))

    response = confirm_reset(api_client, mail.outbox[0], **{NEW_KEY: other_user.get_username()})

    assert response.status_code == 400
    assert list(response.json()) == [NEW_KEY]
    # A rejected name leaves the link usable.
    assert confirm_reset(api_client, mail.outbox[0]).status_code == 204


@pytest.mark.parametrize(
    ("retype", "extra", "status", "body"),
    [
        # Retype off: the retype is not asked for.
        (False, {}, 204, None),
        # Retype off: a mismatching retype is ignored.
        (False, {RETYPE_KEY: username_value("other-name")}, 204, None),
        # Retype on: a matching retype changes the username.
        (True, {RETYPE_KEY: NEW_NAME}, 204, None),
        # Retype on: a mismatch is an error of the whole request.
        (True, {RETYPE_KEY: username_value("other-name")}, 400, MISMATCH),
        # Retype on: the retype is required.
        (True, {}, 400, {RETYPE_KEY: ["This field is required."]}),
    ],
)
def test_reset_username_retype(api_client, user, djoser_settings, retype, extra, status, body):
    djoser_settings(USERNAME_RESET_CONFIRM_RETYPE=retype)
    old_username = user.get_username()
    request_reset(api_client, email_of(user))

    response = confirm_reset(api_client, mail.outbox[0], **extra)

    assert response.status_code == status
    user.refresh_from_db()
    if status == 204:
        assert user.get_username() == NEW_NAME
    else:
        assert response.json() == body
        assert user.get_username() == old_username


@pytest.mark.parametrize("confirmation", [True, False])
def test_reset_username_confirmation_email(api_client, user, djoser_settings, confirmation):
    djoser_settings(USERNAME_CHANGED_EMAIL_CONFIRMATION=confirmation)
    request_reset(api_client, email_of(user))
    reset_message = mail.outbox.pop()

    assert confirm_reset(api_client, reset_message).status_code == 204

    user.refresh_from_db()
    if confirmation:
        assert [(message.subject, message.to) for message in mail.outbox] == [
            (CHANGED_SUBJECT, [email_of(user)])
        ]
    else:
        assert mail.outbox == []


@pytest.mark.parametrize(
    ("show_not_found", "case", "status", "body"),
    [
        # Unknown address, hidden: the same 204 as for a known one.
        (False, "unknown", 204, None),
        # Unknown address, allowed: the error names the field.
        (True, "unknown", 400, {"email": ["User with given email does not exist."]}),
        # Inactive account, hidden: no link, 204.
        (False, "inactive", 204, None),
        # Inactive account, allowed: reported like an unknown address.
        (True, "inactive", 400, {"email": ["User with given email does not exist."]}),
    ],
)
def test_reset_username_not_sent(
    api_client, user, djoser_settings, show_not_found, case, status, body
):
    djoser_settings(USERNAME_RESET_SHOW_EMAIL_NOT_FOUND=show_not_found)
    if case == "inactive":
        user.is_active = False
        user.save()
    email = "nobody@example.com" if case == "unknown" else email_of(user)

    response = request_reset(api_client, email)

    assert response.status_code == status
    if body is not None:
        assert response.json() == body
    assert mail.outbox == []


@pytest.mark.parametrize("show_not_found", [True, False])
def test_reset_username_known_email(api_client, user, djoser_settings, show_not_found):
    djoser_settings(USERNAME_RESET_SHOW_EMAIL_NOT_FOUND=show_not_found)

    response = request_reset(api_client, email_of(user).upper())

    assert response.status_code == 204
    assert [message.to for message in mail.outbox] == [[email_of(user)]]


@pytest.mark.skipif(is_email_login_model(), reason="the email is unique on this model")
def test_reset_username_shared_email(api_client):
    first = create_user(username="first", email="shared@example.com")
    second = create_user(username="second", email="shared@example.com")

    response = request_reset(api_client, "shared@example.com")

    assert response.status_code == 204
    assert {link_parts(message)[0] for message in mail.outbox} == {
        encode_uid(first.pk),
        encode_uid(second.pk),
    }
    assert [message.to for message in mail.outbox] == [["shared@example.com"]] * 2


def b64(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def token_of(generator):
    return lambda user, other: {"uid": encode_uid(user.pk), "token": generator.make_token(user)}


# (case, how to build uid and token from the user and another user, expected body)
BAD_LINKS = [
    # A uid that is not base64 at all.
    ("uid not base64", lambda user, other: {"uid": "%%%", "token": "x"}, INVALID_UID),
    # A uid that decodes to text which is no primary key.
    ("uid not a key", lambda user, other: {"uid": b64(b"abc"), "token": "x"}, INVALID_UID),
    # A uid that names nobody.
    ("uid unknown", lambda user, other: {"uid": b64(b"999999"), "token": "x"}, INVALID_UID),
    # A uid too long to be one.
    (
        "uid too long",
        lambda user, other: {"uid": "M" * 300, "token": "x"},
        {"uid": ["Ensure this field has no more than 256 characters."]},
    ),
    # A token that is garbage.
    (
        "token garbage",
        lambda user, other: {"uid": encode_uid(user.pk), "token": "abc"},
        INVALID_TOKEN,
    ),
    # Another user's username reset token with this user's uid.
    (
        "token foreign",
        lambda user, other: {
            "uid": encode_uid(user.pk),
            "token": username_reset_token_generator.make_token(other),
        },
        INVALID_TOKEN,
    ),
    # A password reset token for the same user.
    ("token for password reset", token_of(default_token_generator), INVALID_TOKEN),
    # An activation token for the same user.
    ("token for activation", token_of(activation_token_generator), INVALID_TOKEN),
]


@pytest.mark.parametrize(
    ("build", "body"), [case[1:] for case in BAD_LINKS], ids=[case[0] for case in BAD_LINKS]
)
def test_reset_username_bad_link(api_client, user, other_user, signal_log, build, body):
    old_username = user.get_username()

    response = api_client.post(
        CONFIRM_PATH, {**build(user, other_user), NEW_KEY: NEW_NAME}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == body
    user.refresh_from_db()
    assert user.get_username() == old_username
    assert not User.objects.filter(**{FIELD: NEW_NAME}).exists()
    assert signal_log.calls == []


def test_username_reset_token_not_for_activation(api_client):
    inactive = create_user(email="inactive@example.com", is_active=False)
    token = username_reset_token_generator.make_token(inactive)

    response = api_client.post(
        "/auth/users/activation/", {"uid": encode_uid(inactive.pk), "token": token}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN
    inactive.refresh_from_db()
    assert inactive.is_active is False
