"""Token login and logout, on the 2.x paths and their 1.x aliases."""

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from rest_framework.authtoken.models import Token

from tests.bodies import BODY_FORMATS, send
from djoser.conf import settings as djoser_settings
from tests.factories import PASSWORD, login_data, user_body, username_value

User = get_user_model()

pytestmark = pytest.mark.django_db

LOGIN_PATHS = ["/auth/token/login/", "/auth/token/create/"]
LOGOUT_PATHS = ["/auth/token/logout/", "/auth/token/destroy/"]

INVALID_CREDENTIALS = {"non_field_errors": ["Unable to log in with provided credentials."]}
NO_CREDENTIALS = {"detail": "Authentication credentials were not provided."}


def session_user_ids():
    """Return the user ids stored in the database's sessions."""
    return [session.get_decoded().get(SESSION_KEY) for session in Session.objects.all()]


# Login.


@pytest.mark.parametrize("path", LOGIN_PATHS)
@pytest.mark.parametrize("body_format", BODY_FORMATS)
def test_login_returns_token(api_client, user, signal_log, path, body_format):
    response = send(api_client, "post", path, login_data(user), body_format)

    assert response.status_code == 200, response.content
    token = Token.objects.get(user=user)
    assert response.json() == {"auth_token": token.key}
    assert len(token.key) == 40
    assert signal_log.names() == ["user_logged_in"]
    sender, kwargs = signal_log.only("user_logged_in")
    assert sender is User
    assert kwargs["user"] == user


def test_login_reuses_token(api_client, user):
    first = api_client.post("/auth/token/login/", login_data(user), format="json").json()
    second = api_client.post("/auth/token/login/", login_data(user), format="json").json()

    assert first == second
    assert Token.objects.filter(user=user).count() == 1


def test_login_updates_last_login(api_client, user):
    assert user.last_login is None

    response = api_client.post("/auth/token/login/", login_data(user), format="json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.last_login is not None


def test_token_authenticates(api_client, user):
    key = api_client.post("/auth/token/login/", login_data(user), format="json").json()["auth_token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api_client.get("/auth/users/me/")

    assert response.status_code == 200
    assert response.json() == user_body(user)


def test_login_ignores_stale_auth_header(api_client, user):
    # Login reads credentials only from the body, so a leftover invalid token does not matter.
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = api_client.post("/auth/token/login/", login_data(user), format="json")

    assert response.status_code == 200
    assert response.json() == {"auth_token": Token.objects.get(user=user).key}


@pytest.mark.parametrize(
    "body",
    [
        # the right login with a wrong password
        "wrong password",
        # a login that belongs to no account
        "unknown user",
        # the password of an account that is not active
        "inactive user",
    ],
)
@pytest.mark.parametrize("path", LOGIN_PATHS)
def test_login_rejects_bad_credentials(api_client, user, signal_log, body, path):
    data = login_data(user)
    if body == "wrong password":
        data["password"] = "not-the-password"
    elif body == "unknown user":
        data[djoser_settings.LOGIN_FIELD] = username_value("nobody")
    else:
        user.is_active = False
        user.save()

    response = api_client.post(path, data, format="json")

    assert response.status_code == 400
    assert response.json() == INVALID_CREDENTIALS
    assert not Token.objects.exists()
    assert signal_log.names() == []
    user.refresh_from_db()
    assert user.last_login is None


def test_login_requires_fields(api_client, user):
    response = api_client.post("/auth/token/login/", {}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "password": ["This field is required."],
        djoser_settings.LOGIN_FIELD: ["This field is required."],
    }


def test_login_rejects_bad_json(api_client, user):
    response = api_client.post("/auth/token/login/", b"{", content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()) == ["detail"]
    assert response.json()["detail"].startswith("JSON parse error")
    assert not Token.objects.exists()


def test_login_rejects_get(api_client):
    response = api_client.get("/auth/token/login/")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "GET" not allowed.'}


# Logout.


@pytest.mark.parametrize("path", LOGOUT_PATHS)
def test_logout_deletes_token(auth_client, user, signal_log, path):
    response = auth_client.post(path)

    assert response.status_code == 204
    assert response.content == b""
    assert not Token.objects.filter(user=user).exists()
    assert signal_log.names() == ["user_logged_out"]
    sender, kwargs = signal_log.only("user_logged_out")
    assert sender is User
    assert kwargs["user"] == user


def test_logout_ends_token(auth_client, user):
    auth_client.post("/auth/token/logout/")

    response = auth_client.get("/auth/users/me/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


@pytest.mark.parametrize("path", LOGOUT_PATHS)
def test_logout_requires_authentication(api_client, user, signal_log, path):
    Token.objects.create(user=user)

    response = api_client.post(path)

    assert response.status_code == 401
    assert response.json() == NO_CREDENTIALS
    assert Token.objects.filter(user=user).exists()
    assert signal_log.names() == []


def test_logout_keeps_other_users_tokens(auth_client, other_user):
    other_token = Token.objects.create(user=other_user)

    response = auth_client.post("/auth/token/logout/")

    assert response.status_code == 204
    assert Token.objects.filter(pk=other_token.pk).exists()


# CREATE_SESSION_ON_LOGIN.


def test_login_creates_session(settings, api_client, user, signal_log):
    settings.DJOSER = {**settings.DJOSER, "CREATE_SESSION_ON_LOGIN": True}

    response = api_client.post("/auth/token/login/", login_data(user), format="json")

    assert response.status_code == 200
    assert response.json() == {"auth_token": Token.objects.get(user=user).key}
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert session_user_ids() == [str(user.pk)]
    # Django's login() sends user_logged_in; djoser sends it no second time.
    assert signal_log.names() == ["user_logged_in"]

    # The session alone authenticates the following requests.
    response = api_client.get("/auth/users/me/")
    assert response.status_code == 200
    assert response.json() == user_body(user)


def test_login_creates_no_session_by_default(settings, api_client, user, signal_log):
    response = api_client.post("/auth/token/login/", login_data(user), format="json")

    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()
    assert signal_log.names() == ["user_logged_in"]


def test_logout_ends_session(settings, api_client, user, signal_log):
    settings.DJOSER = {**settings.DJOSER, "CREATE_SESSION_ON_LOGIN": True}
    key = api_client.post("/auth/token/login/", login_data(user), format="json").json()["auth_token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api_client.post("/auth/token/logout/")

    assert response.status_code == 204
    assert not Session.objects.exists()
    assert not Token.objects.exists()
    # Django's logout() sends user_logged_out; djoser sends it no second time.
    assert signal_log.names() == ["user_logged_in", "user_logged_out"]

    api_client.credentials()
    response = api_client.get("/auth/users/me/")
    assert response.status_code == 401


def test_logout_by_session(settings, api_client, user, signal_log):
    settings.DJOSER = {**settings.DJOSER, "CREATE_SESSION_ON_LOGIN": True}
    api_client.post("/auth/token/login/", login_data(user), format="json")

    response = api_client.post("/auth/token/logout/")

    assert response.status_code == 204
    assert not Session.objects.exists()
    assert not Token.objects.exists()
    assert signal_log.names() == ["user_logged_in", "user_logged_out"]


# TOKEN_MODEL None: a project without DRF tokens (JWT or sessions only).


def test_login_without_token_model(settings, api_client, user, signal_log):
    settings.DJOSER = {**settings.DJOSER, "TOKEN_MODEL": None}

    response = api_client.post("/auth/token/login/", login_data(user), format="json")

    assert response.status_code == 200
    assert response.json() == {}
    assert not Token.objects.exists()
    assert signal_log.names() == ["user_logged_in"]


def test_session_login_without_token_model(settings, api_client, user):
    settings.DJOSER = {**settings.DJOSER, "TOKEN_MODEL": None, "CREATE_SESSION_ON_LOGIN": True}

    response = api_client.post("/auth/token/login/", login_data(user), format="json")

    assert response.status_code == 200
    assert response.json() == {}
    assert not Token.objects.exists()
    assert session_user_ids() == [str(user.pk)]
    assert api_client.get("/auth/users/me/").json() == user_body(user)


def test_logout_without_token_model(settings, auth_client, user, signal_log):
    settings.DJOSER = {**settings.DJOSER, "TOKEN_MODEL": None}

    response = auth_client.post("/auth/token/logout/")

    assert response.status_code == 204
    # With no TOKEN_MODEL djoser deletes no tokens, so a DRF token issued elsewhere stays.
    assert Token.objects.filter(user=user).exists()
    assert signal_log.names() == ["user_logged_out"]


def test_delete_without_token_model(settings, auth_client, user):
    settings.DJOSER = {**settings.DJOSER, "TOKEN_MODEL": None}

    response = auth_client.delete("/auth/users/me/", {"current_password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
