"""Registration with activation, the activation link, resend activation and email changes."""

import base64
from unittest.mock import ANY

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection
from rest_framework.request import Request
from rest_framework.test import APIClient

from djoser import signals, views
from djoser.tokens import activation_token_generator, username_reset_token_generator
from djoser.utils import encode_uid
from tests.conftest import link_parts, race
from tests.factories import (
    PASSWORD,
    create_user,
    email_field,
    is_email_login_model,
    login_data,
    registration_data,
    user_body,
)

User = get_user_model()

pytestmark = pytest.mark.django_db

STALE = {"detail": "Stale token for given user."}
INVALID_TOKEN = {"token": ["Invalid token for given user."]}
INVALID_UID = {"uid": ["Invalid user id or user doesn't exist."]}

# (registration path, activation path, view class that sends the signals)
FLOW_PATHS = [
    # 2.x paths.
    ("/auth/users/", "/auth/users/activation/", views.UserViewSet),
    # 1.x aliases served by the viewset.
    ("/auth/users/create/", "/auth/users/activate/", views.UserViewSet),
    # The 1.2 viewset name of activation, without the trailing slash.
    ("/auth/users", "/auth/users/confirm", views.UserViewSet),
    # A 1.x urls.py that routes the 1.x view classes itself.
    ("/legacy/users/create/", "/legacy/activate/", views.ActivationView),
    ("/legacy/register/", "/legacy/activate/", views.ActivationView),
]


@pytest.fixture
def activation_on(djoser_settings):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)


def register(client, path="/auth/users/", **overrides):
    return client.post(path, registration_data(**overrides), format="json")


def activate(client, message, path="/auth/users/activation/"):
    uid, token = link_parts(message)
    return client.post(path, {"uid": uid, "token": token}, format="json")


def can_log_in(client, user):
    response = client.post("/auth/token/login/", login_data(user), format="json")
    return response.status_code == 200


def new_user():
    return User.objects.get(**{email_field(): registration_data()[email_field()]})


@pytest.mark.parametrize(("register_path", "activation_path", "activation_view"), FLOW_PATHS)
def test_activation_flow(
    api_client, activation_on, signal_log, register_path, activation_path, activation_view
):
    response = register(api_client, register_path)

    assert response.status_code == 201
    user = new_user()
    assert response.json() == user_body(user)
    assert user.is_active is False
    assert not can_log_in(api_client, user)
    sender, kwargs = signal_log.only("user_registered")
    assert kwargs == {"user": user, "request": ANY}
    assert isinstance(kwargs["request"], Request)
    assert [message.to for message in mail.outbox] == [[getattr(user, email_field())]]
    message = mail.outbox[0]
    assert message.subject == "Activate your account on Example"
    uid, token = link_parts(message)
    assert uid == encode_uid(user.pk)
    assert activation_token_generator.check_token(user, token)

    response = activate(api_client, message, activation_path)

    assert response.status_code == 204
    assert response.content == b""
    user.refresh_from_db()
    assert user.is_active is True
    sender, kwargs = signal_log.only("user_activated")
    assert sender is activation_view
    assert kwargs == {"user": user, "request": ANY}
    assert kwargs["request"].path == activation_path
    assert len(mail.outbox) == 1
    assert can_log_in(api_client, user)


def test_activation_reused_is_stale(api_client, activation_on, signal_log):
    register(api_client)
    message = mail.outbox[0]
    assert activate(api_client, message).status_code == 204

    response = activate(api_client, message)

    assert response.status_code == 403
    assert response.json() == STALE
    assert signal_log.names().count("user_activated") == 1


def test_activation_reused_after_login(api_client, activation_on):
    register(api_client)
    message = mail.outbox[0]
    assert activate(api_client, message).status_code == 204
    assert can_log_in(api_client, new_user())

    response = activate(api_client, message)

    # A login ends the link, so an account later made inactive by an administrator cannot
    # be reactivated with its old activation email.
    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN


def test_activation_after_deactivation(api_client, activation_on):
    register(api_client)
    message = mail.outbox[0]
    assert activate(api_client, message).status_code == 204
    user = new_user()
    assert can_log_in(api_client, user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = activate(api_client, message)

    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN
    user.refresh_from_db()
    assert user.is_active is False


def test_registration_without_activation(api_client, djoser_settings, signal_log):
    djoser_settings(SEND_ACTIVATION_EMAIL=False)

    response = register(api_client)

    assert response.status_code == 201
    user = new_user()
    assert user.is_active is True
    assert can_log_in(api_client, user)
    assert mail.outbox == []
    signal_log.only("user_registered")


@pytest.mark.parametrize(
    ("activation", "confirmation", "subjects_after_registration", "subjects_after_activation"),
    [
        # Neither email: the account is active at once and nothing is sent.
        (False, False, [], None),
        # Confirmation only: sent at registration, since the account is active at once.
        (False, True, ["Your account on Example is active"], None),
        # Activation only: the link, and nothing after activation.
        (True, False, ["Activate your account on Example"], []),
        # Both: the link at registration, the confirmation once the link is used.
        (
            True,
            True,
            ["Activate your account on Example"],
            ["Your account on Example is active"],
        ),
    ],
)
def test_registration_emails(
    api_client,
    djoser_settings,
    activation,
    confirmation,
    subjects_after_registration,
    subjects_after_activation,
):
    djoser_settings(SEND_ACTIVATION_EMAIL=activation, SEND_CONFIRMATION_EMAIL=confirmation)

    assert register(api_client).status_code == 201

    assert [message.subject for message in mail.outbox] == subjects_after_registration
    if subjects_after_activation is None:
        return
    registration_emails = list(mail.outbox)
    mail.outbox.clear()
    assert activate(api_client, registration_emails[0]).status_code == 204
    assert [message.subject for message in mail.outbox] == subjects_after_activation
    for message in mail.outbox:
        assert message.to == [registration_data()[email_field()]]


@pytest.mark.parametrize(
    ("retype", "extra", "status", "body"),
    [
        # Retype off: re_password is not asked for.
        (False, {}, 201, None),
        # Retype off: a mismatching re_password is ignored.
        (False, {"re_password": "something-else-1"}, 201, None),
        # Retype on: the matching retype registers.
        (True, {"re_password": PASSWORD}, 201, None),
        # Retype on: a mismatch is an error of the whole request.
        (
            True,
            {"re_password": "something-else-1"},
            400,
            {"non_field_errors": ["The two password fields didn't match."]},
        ),
        # Retype on: the retype is required.
        (True, {}, 400, {"re_password": ["This field is required."]}),
    ],
)
def test_registration_password_retype(
    api_client, djoser_settings, signal_log, retype, extra, status, body
):
    djoser_settings(USER_CREATE_PASSWORD_RETYPE=retype)

    response = api_client.post("/auth/users/", {**registration_data(), **extra}, format="json")

    assert response.status_code == status
    if status == 201:
        user = new_user()
        assert response.json() == user_body(user)
        assert user.check_password(PASSWORD)
        signal_log.only("user_registered")
    else:
        assert response.json() == body
        assert not User.objects.filter(**{email_field(): registration_data()[email_field()]})
        assert signal_log.calls == []


@pytest.mark.skipif(is_email_login_model(), reason="the email is required on this model")
def test_registration_without_email_address(api_client, activation_on, caplog):
    data = {**registration_data(), email_field(): ""}

    response = api_client.post("/auth/users/", data, format="json")

    # The account exists but no link can reach it: an operator is told.
    assert response.status_code == 201
    user = User.objects.get(pk=User._meta.pk.to_python(response.json()["id"]))
    assert user.is_active is False
    assert mail.outbox == []
    [record] = [record for record in caplog.records if record.name.startswith("djoser")]
    assert record.levelname == "WARNING"
    assert record.getMessage() == (
        f"The activation email for user {user.pk} was not sent: "
        "the account has no email address."
    )


def test_send_activation_email_hook(api_client, activation_on, monkeypatch):
    sent_to = []
    monkeypatch.setattr(
        views.UserCreateView, "send_activation_email", lambda view, user: sent_to.append(user)
    )

    assert register(api_client, "/legacy/users/create/").status_code == 201

    assert sent_to == [new_user()]
    assert mail.outbox == []


def test_resend_activation_flow(api_client, activation_on, signal_log):
    register(api_client)
    first_message = mail.outbox[0]
    mail.outbox.clear()
    email = registration_data()[email_field()]

    response = api_client.post(
        "/auth/users/resend_activation/", {"email": email.upper()}, format="json"
    )

    assert response.status_code == 204
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    assert message.subject == "Activate your account on Example"
    assert activate(api_client, message).status_code == 204
    assert new_user().is_active is True
    signal_log.only("user_activated")
    # Both links were valid; the first is now stale like the one that was used.
    assert activate(api_client, first_message).status_code == 403


@pytest.mark.parametrize(
    ("show_not_found", "case", "status", "body"),
    [
        # Unknown address, enumeration hidden: the same 204 as for a known one.
        (False, "unknown", 204, None),
        # Unknown address, enumeration allowed: the error names the field.
        (True, "unknown", 400, {"email": ["User with given email does not exist."]}),
        # Active account, hidden: nothing to resend, 204.
        (False, "active", 204, None),
        # Active account, allowed: reported like an unknown address.
        (True, "active", 400, {"email": ["User with given email does not exist."]}),
    ],
)
def test_resend_activation_not_sent(
    api_client, activation_on, djoser_settings, user, show_not_found, case, status, body
):
    djoser_settings(PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND=show_not_found)
    email = "nobody@example.com" if case == "unknown" else getattr(user, email_field())

    response = api_client.post("/auth/users/resend_activation/", {"email": email}, format="json")

    assert response.status_code == status
    if body is not None:
        assert response.json() == body
    assert mail.outbox == []


def test_resend_activation_disabled(api_client, djoser_settings):
    djoser_settings(SEND_ACTIVATION_EMAIL=False)
    user = create_user(is_active=False)

    response = api_client.post(
        "/auth/users/resend_activation/", {"email": getattr(user, email_field())}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Account activation is not enabled."]}
    assert mail.outbox == []


@pytest.mark.skipif(is_email_login_model(), reason="the email is unique on this model")
def test_resend_activation_shared_email(api_client, activation_on, signal_log):
    first = create_user(username="first", email="shared@example.com", is_active=False)
    second = create_user(username="second", email="shared@example.com", is_active=False)
    create_user(username="active", email="shared@example.com")

    response = api_client.post(
        "/auth/users/resend_activation/", {"email": "shared@example.com"}, format="json"
    )

    assert response.status_code == 204
    assert len(mail.outbox) == 2
    uids = {link_parts(message)[0] for message in mail.outbox}
    assert uids == {encode_uid(first.pk), encode_uid(second.pk)}
    for message in list(mail.outbox):
        assert message.to == ["shared@example.com"]
        assert activate(api_client, message).status_code == 204
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_active is True
    assert second.is_active is True
    assert signal_log.names().count("user_activated") == 2


def foreign_link(user, other_user):
    return {"uid": encode_uid(other_user.pk), "token": activation_token_generator.make_token(user)}


def b64(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# (case, how to build the body from the inactive user and another user, expected body)
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
    # An empty uid.
    (
        "uid blank",
        lambda user, other: {"uid": "", "token": "x"},
        {"uid": ["This field may not be blank."]},
    ),
    # A uid that is not a string.
    ("uid list", lambda user, other: {"uid": [1], "token": "x"}, {"uid": ["Not a valid string."]}),
    # A NUL byte.
    (
        "uid nul",
        lambda user, other: {"uid": "M\x00Q", "token": "x"},
        {"uid": ["Null characters are not allowed."]},
    ),
    # No uid at all.
    ("uid missing", lambda user, other: {"token": "x"}, {"uid": ["This field is required."]}),
    # A token that is garbage.
    (
        "token garbage",
        lambda user, other: {"uid": encode_uid(user.pk), "token": "abc-def"},
        INVALID_TOKEN,
    ),
    # A token too long to be one.
    (
        "token too long",
        lambda user, other: {"uid": encode_uid(user.pk), "token": "a" * 300},
        {"token": ["Ensure this field has no more than 256 characters."]},
    ),
    # A token that is not a string.
    (
        "token number",
        lambda user, other: {"uid": encode_uid(user.pk), "token": {"a": 1}},
        {"token": ["Not a valid string."]},
    ),
    # The user's token with another user's uid.
    ("token foreign", foreign_link, INVALID_TOKEN),
    # A password reset token for the same user.
    (
        "token for reset",
        lambda user, other: {
            "uid": encode_uid(user.pk),
            "token": default_token_generator.make_token(user),
        },
        INVALID_TOKEN,
    ),
    # A username reset token for the same user.
    (
        "token for username reset",
        lambda user, other: {
            "uid": encode_uid(user.pk),
            "token": username_reset_token_generator.make_token(user),
        },
        INVALID_TOKEN,
    ),
]


@pytest.mark.parametrize(
    ("build", "body"), [case[1:] for case in BAD_LINKS], ids=[case[0] for case in BAD_LINKS]
)
def test_activation_bad_link(api_client, activation_on, signal_log, build, body):
    user = create_user(is_active=False)
    other = create_user(username="other", email="other@example.com", is_active=False)

    response = api_client.post("/auth/users/activation/", build(user, other), format="json")

    assert response.status_code == 400
    assert response.json() == body
    user.refresh_from_db()
    other.refresh_from_db()
    assert user.is_active is False
    assert other.is_active is False
    assert signal_log.calls == []


def test_activation_uuid_uid_for_integer_key(api_client, activation_on):
    user = create_user(is_active=False)
    uid = b64(b"12345678-1234-5678-1234-567812345678")

    response = api_client.post(
        "/auth/users/activation/",
        {"uid": uid, "token": activation_token_generator.make_token(user)},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == INVALID_UID


def test_activation_expired(api_client, activation_on, settings, token_clock):
    settings.PASSWORD_RESET_TIMEOUT = 60
    register(api_client)
    token_clock(61)

    response = activate(api_client, mail.outbox[0])

    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN
    assert new_user().is_active is False


def test_activation_within_timeout(api_client, activation_on, settings, token_clock):
    settings.PASSWORD_RESET_TIMEOUT = 60
    register(api_client)
    token_clock(59)

    assert activate(api_client, mail.outbox[0]).status_code == 204
    assert new_user().is_active is True


def test_activation_stale_for_active_user(api_client, user):
    token = activation_token_generator.make_token(user)

    response = api_client.post(
        "/auth/users/activation/", {"uid": encode_uid(user.pk), "token": token}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == STALE


@pytest.mark.skipif(is_email_login_model(), reason="the email changes through set_email")
@pytest.mark.parametrize(
    "path",
    [
        # The 2.x path.
        "/auth/users/me/",
        # The 1.x alias.
        "/auth/me/",
        # The user's own id.
        "user-id",
    ],
)
def test_email_change_reactivation(auth_client, user, activation_on, signal_log, path):
    path = f"/auth/users/{user.pk}/" if path == "user-id" else path
    field = email_field()

    response = auth_client.patch(path, {field: "new@example.com"}, format="json")

    assert response.status_code == 200
    assert response.json()[field] == "new@example.com"
    user.refresh_from_db()
    assert getattr(user, field) == "new@example.com"
    assert user.is_active is False
    sender, kwargs = signal_log.only("user_updated")
    assert sender is views.UserViewSet
    assert kwargs == {"user": user, "request": ANY}
    assert [message.to for message in mail.outbox] == [["new@example.com"]]
    assert mail.outbox[0].subject == "Activate your account on Example"
    # The inactive account's token no longer authenticates.
    assert auth_client.get("/auth/users/me/").status_code == 401

    response = activate(auth_client.__class__(), mail.outbox[0])

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.is_active is True
    signal_log.only("user_activated")


@pytest.mark.skipif(is_email_login_model(), reason="the email changes through set_email")
def test_email_change_ends_old_links(api_client, activation_on):
    register(api_client)
    old_message = mail.outbox[0]
    user = new_user()
    User.objects.filter(pk=user.pk).update(**{email_field(): "changed@example.com"})

    response = activate(api_client, old_message)

    assert response.status_code == 400
    assert response.json() == INVALID_TOKEN


@pytest.mark.skipif(is_email_login_model(), reason="the email changes through set_email")
@pytest.mark.parametrize(
    ("activation", "new_email", "expect_inactive"),
    [
        # Activation off: the address changes and the account stays active.
        (False, "new@example.com", False),
        # Activation on, same address: nothing to confirm.
        (True, "john@example.com", False),
    ],
)
def test_email_change_stays_active(
    auth_client, user, djoser_settings, signal_log, activation, new_email, expect_inactive
):
    djoser_settings(SEND_ACTIVATION_EMAIL=activation)

    response = auth_client.patch("/auth/users/me/", {email_field(): new_email}, format="json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert getattr(user, email_field()) == new_email
    assert user.is_active is True
    assert mail.outbox == []
    signal_log.only("user_updated")
    assert auth_client.get("/auth/users/me/").status_code == 200


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL makes the second request wait"
)
@pytest.mark.django_db(transaction=True)
def test_activation_race(djoser_settings, signal_log):
    djoser_settings(SEND_ACTIVATION_EMAIL=True, SEND_CONFIRMATION_EMAIL=True)
    user = create_user(is_active=False)
    body = {"uid": encode_uid(user.pk), "token": activation_token_generator.make_token(user)}

    def post():
        return APIClient().post("/auth/users/activation/", body, format="json")

    # The second request arrives while the first holds the account, mid-activation.
    first, second = race(signals.user_activated, post, post)

    assert first.status_code == 204
    assert second.status_code == 403
    assert second.json() == STALE
    assert signal_log.names().count("user_activated") == 1
    assert [message.subject for message in mail.outbox] == ["Your account on Example is active"]
