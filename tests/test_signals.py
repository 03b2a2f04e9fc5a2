"""djoser's account signals, and Django's login and logout signals, each sent once per event."""

from unittest.mock import ANY

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from rest_framework.authtoken.models import Token
from rest_framework.request import Request

from djoser import signals, views
from tests.conftest import link_parts
from tests.factories import (
    PASSWORD,
    email_field,
    is_email_login_model,
    login_data,
    registration_data,
    user_body,
    username_value,
)

User = get_user_model()
FIELD = User.USERNAME_FIELD

pytestmark = pytest.mark.django_db


def assert_sent_once(signal_log, name, sender, user, path):
    """Check the one ``name`` signal: its sender, its user and the request it came from."""
    sent_sender, kwargs = signal_log.only(name)
    assert sent_sender is sender
    assert kwargs == {"user": user, "request": ANY}
    assert isinstance(kwargs["request"], Request)
    assert kwargs["request"].path == path


def test_user_registered(api_client, signal_log):
    response = api_client.post("/auth/users/", registration_data(), format="json")

    assert response.status_code == 201
    user = User.objects.get(pk=User._meta.pk.to_python(response.json()["id"]))
    assert_sent_once(signal_log, "user_registered", views.UserViewSet, user, "/auth/users/")
    assert signal_log.names() == ["user_registered"]


def test_user_activated(api_client, djoser_settings, signal_log):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)
    api_client.post("/auth/users/", registration_data(), format="json")
    uid, token = link_parts(mail.outbox[0])
    signal_log.calls.clear()

    response = api_client.post("/auth/users/activation/", {"uid": uid, "token": token})

    assert response.status_code == 204
    user = User.objects.get(**{email_field(): registration_data()[email_field()]})
    path = "/auth/users/activation/"
    assert_sent_once(signal_log, "user_activated", views.UserViewSet, user, path)
    assert signal_log.names() == ["user_activated"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        # PATCH on the 2.x path.
        ("patch", "/auth/users/me/"),
        # PUT on the 1.x alias.
        ("put", "/auth/me/"),
        # PATCH on the user's own id.
        ("patch", "user-id"),
    ],
)
def test_user_updated(auth_client, user, signal_log, method, path):
    path = f"/auth/users/{user.pk}/" if path == "user-id" else path

    body = {**user_body(user), "first_name": "Johnny"}

    response = getattr(auth_client, method)(path, body, format="json")

    assert response.status_code == 200
    assert_sent_once(signal_log, "user_updated", views.UserViewSet, user, path)
    assert signal_log.names() == ["user_updated"]


def test_user_updated_not_on_read(auth_client, signal_log):
    assert auth_client.get("/auth/users/me/").status_code == 200

    assert signal_log.calls == []


def test_password_changed(auth_client, user, signal_log):
    response = auth_client.post(
        "/auth/users/set_password/",
        {"new_password": "new-staple-battery", "current_password": PASSWORD},
        format="json",
    )

    assert response.status_code == 204
    path = "/auth/users/set_password/"
    assert_sent_once(signal_log, "password_changed", views.UserViewSet, user, path)
    assert signal_log.names() == ["password_changed"]


def test_password_reset_completed(api_client, user, signal_log):
    api_client.post("/auth/users/reset_password/", {"email": getattr(user, email_field())})
    uid, token = link_parts(mail.outbox[0])

    response = api_client.post(
        "/auth/users/reset_password_confirm/",
        {"uid": uid, "token": token, "new_password": "new-staple-battery"},
    )

    assert response.status_code == 204
    path = "/auth/users/reset_password_confirm/"
    assert_sent_once(signal_log, "password_reset_completed", views.UserViewSet, user, path)
    # A reset is not also reported as a change by the logged-in user.
    assert signal_log.names() == ["password_reset_completed"]


def test_username_changed_by_set(auth_client, user, signal_log):
    path = f"/auth/users/set_{FIELD}/"

    response = auth_client.post(
        path, {f"new_{FIELD}": username_value("renamed"), "current_password": PASSWORD}
    )

    assert response.status_code == 204
    assert_sent_once(signal_log, "username_changed", views.UserViewSet, user, path)
    assert signal_log.names() == ["username_changed"]


def test_username_changed_by_reset(api_client, user, signal_log):
    api_client.post(f"/auth/users/reset_{FIELD}/", {"email": getattr(user, email_field())})
    uid, token = link_parts(mail.outbox[0])
    path = f"/auth/users/reset_{FIELD}_confirm/"

    response = api_client.post(
        path, {"uid": uid, "token": token, f"new_{FIELD}": username_value("renamed")}
    )

    assert response.status_code == 204
    assert_sent_once(signal_log, "username_changed", views.UserViewSet, user, path)
    assert signal_log.names() == ["username_changed"]


@pytest.mark.parametrize(
    ("method", "path", "view_class"),
    [
        # DELETE on the 2.x path.
        ("delete", "/auth/users/me/", views.UserViewSet),
        # DELETE on the user's own id.
        ("delete", "user-id", views.UserViewSet),
        # POST on the 1.x alias.
        ("post", "/auth/users/delete/", views.UserDeleteView),
        # POST on a 1.x urls.py that routes UserDeleteView itself.
        ("post", "/legacy/users/delete/", views.UserDeleteView),
    ],
)
def test_user_deleted(auth_client, user, signal_log, method, path, view_class):
    path = f"/auth/users/{user.pk}/" if path == "user-id" else path
    pk = user.pk

    response = getattr(auth_client, method)(path, {"current_password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not User.objects.filter(pk=pk).exists()
    assert not Token.objects.filter(user_id=pk).exists()
    sender, kwargs = signal_log.only("user_deleted")
    assert sender is view_class
    assert kwargs == {"user": ANY, "request": ANY}
    # The deleted instance keeps its primary key, so receivers know which account it was.
    assert kwargs["user"].pk == pk
    assert kwargs["request"].path == path
    assert signal_log.names() == ["user_logged_out", "user_deleted"]
    assert auth_client.get("/auth/users/me/").status_code == 401


def test_user_deleted_by_staff(api_client, user, staff_user, signal_log):
    api_client.force_authenticate(staff_user)

    response = api_client.delete(
        f"/auth/users/{user.pk}/", {"current_password": PASSWORD}, format="json"
    )

    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
    sender, kwargs = signal_log.only("user_deleted")
    assert kwargs["user"].pk == user.pk
    # Staff deleting another account do not log themselves out.
    assert signal_log.names() == ["user_deleted"]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        # A wrong password.
        ({"current_password": "wrong-password"}, {"current_password": ["Invalid password."]}),
        # No password.
        ({}, {"current_password": ["This field is required."]}),
    ],
)
def test_user_delete_rejected(auth_client, user, signal_log, body, errors):
    response = auth_client.delete("/auth/users/me/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert User.objects.filter(pk=user.pk).exists()
    assert signal_log.calls == []


def test_signal_receiver_failure_rolls_back(api_client, djoser_settings, signal_log):
    djoser_settings(SEND_ACTIVATION_EMAIL=True, SEND_CONFIRMATION_EMAIL=True)
    api_client.post("/auth/users/", registration_data(), format="json")
    uid, token = link_parts(mail.outbox.pop())

    def failing_receiver(sender, **kwargs):
        raise RuntimeError("receiver failed")

    signals.user_activated.connect(failing_receiver)
    try:
        with pytest.raises(RuntimeError):
            api_client.post("/auth/users/activation/", {"uid": uid, "token": token})
    finally:
        signals.user_activated.disconnect(failing_receiver)

    # The activation is undone and its confirmation email never leaves.
    user = User.objects.get(**{email_field(): registration_data()[email_field()]})
    assert user.is_active is False
    assert mail.outbox == []


# Django's login and logout signals.


@pytest.mark.parametrize("session", [True, False])
def test_token_login_logout_signals(api_client, user, djoser_settings, signal_log, session):
    djoser_settings(CREATE_SESSION_ON_LOGIN=session)

    response = api_client.post("/auth/token/login/", login_data(user), format="json")

    assert response.status_code == 200
    sender, kwargs = signal_log.only("user_logged_in")
    assert sender is User
    assert kwargs["user"] == user
    assert signal_log.names() == ["user_logged_in"]
    assert (SESSION_KEY in api_client.session) is session
    user.refresh_from_db()
    assert user.last_login is not None

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['auth_token']}")
    response = api_client.post("/auth/token/logout/")

    assert response.status_code == 204
    sender, kwargs = signal_log.only("user_logged_out")
    assert kwargs["user"] == user
    assert signal_log.names() == ["user_logged_in", "user_logged_out"]
    assert SESSION_KEY not in api_client.session
    assert not Token.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("session", "me_status"),
    [
        # On: the session cookie alone authenticates later requests.
        (True, 200),
        # Off: no session, so a request without the token is anonymous.
        (False, 401),
    ],
)
def test_create_session_on_login(api_client, user, djoser_settings, session, me_status):
    djoser_settings(CREATE_SESSION_ON_LOGIN=session)

    response = api_client.post("/auth/token/login/", login_data(user), format="json")

    assert response.status_code == 200
    assert ("sessionid" in response.cookies) is session
    assert api_client.get("/auth/users/me/").status_code == me_status


def test_session_login_logout_with_session(api_client, user, djoser_settings, signal_log):
    djoser_settings(CREATE_SESSION_ON_LOGIN=True)
    api_client.post("/auth/token/login/", login_data(user), format="json")

    # Log out with the session alone, no token header.
    response = api_client.post("/auth/token/logout/")

    assert response.status_code == 204
    assert signal_log.names() == ["user_logged_in", "user_logged_out"]
    assert api_client.get("/auth/users/me/").status_code == 401


@pytest.mark.parametrize("session", [True, False])
def test_logout_on_password_change_signals(
    api_client, user, djoser_settings, signal_log, session
):
    djoser_settings(CREATE_SESSION_ON_LOGIN=session, LOGOUT_ON_PASSWORD_CHANGE=True)
    response = api_client.post("/auth/token/login/", login_data(user), format="json")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['auth_token']}")

    response = api_client.post(
        "/auth/users/set_password/",
        {"new_password": "new-staple-battery", "current_password": PASSWORD},
        format="json",
    )

    assert response.status_code == 204
    assert signal_log.names() == ["user_logged_in", "password_changed", "user_logged_out"]


@pytest.mark.skipif(is_email_login_model(), reason="the email changes through set_email")
def test_no_signal_for_rejected_update(auth_client, other_user, signal_log):
    response = auth_client.patch(
        "/auth/users/me/", {email_field(): "not an email"}, format="json"
    )

    assert response.status_code == 400
    assert signal_log.calls == []


def test_signals_documented():
    import inspect

    source = inspect.getsource(signals)
    for name in (
        "user_registered",
        "user_activated",
        "user_updated",
        "password_changed",
        "password_reset_completed",
        "username_changed",
        "user_deleted",
    ):
        line = f"\n{name} = Signal()"
        assert line in source
        before = source[: source.index(line)].rstrip().splitlines()[-1]
        assert before.startswith("# "), f"{name} has no comment above it"
