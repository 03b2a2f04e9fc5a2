"""JWT logout: blacklisting one refresh token, or every refresh token of a user.

SimpleJWT decides once, at import, whether its blacklist app is installed, so the tests of
revocation carry the ``jwt_blacklist`` marker and run in a process of their own
(``runtests.py`` sets ``DJOSER_TEST_JWT_BLACKLIST=1``). The other tests check what logout
does without the app.
"""

from unittest.mock import ANY

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from rest_framework_simplejwt import serializers as jwt_serializers

from djoser.jwt import BLACKLIST_APP, blacklist_user_tokens
from tests import factories
from tests.authentication import use_authentication
from tests.conftest import link_parts

User = get_user_model()

pytestmark = pytest.mark.django_db

BLACKLIST = BLACKLIST_APP in django_settings.INSTALLED_APPS

with_blacklist = [
    pytest.mark.jwt_blacklist,
    pytest.mark.skipif(not BLACKLIST, reason="needs DJOSER_TEST_JWT_BLACKLIST=1 (runtests.py)"),
]
without_blacklist = pytest.mark.skipif(BLACKLIST, reason="checks behaviour without the app")

INVALID_TOKEN_BODY = {"detail": "Token is invalid", "code": "token_not_valid"}
BLACKLISTED_TOKEN_BODY = {"detail": "Token is blacklisted", "code": "token_not_valid"}


def create_pair(client, user):
    response = client.post("/auth/jwt/create/", factories.login_data(user), format="json")
    assert response.status_code == 200, response.content
    return response.json()


def refresh(client, token):
    return client.post("/auth/jwt/refresh/", {"refresh": token}, format="json")


def logout(client, token):
    return client.post("/auth/jwt/logout/", {"refresh": token}, format="json")


# --- Without the blacklist app ------------------------------------------------------------


@without_blacklist
def test_blacklist_user_tokens_no_app(api_client, user):
    create_pair(api_client, user)

    assert blacklist_user_tokens(user) == 0


@without_blacklist
def test_logout_without_app_keeps_token(api_client, user):
    pair = create_pair(api_client, user)

    response = logout(api_client, pair["refresh"])

    # The token cannot be revoked without the app; it works until it expires.
    assert response.status_code == 204
    assert refresh(api_client, pair["refresh"]).status_code == 200


# --- Input checks, with or without the app -------------------------------------------------


@pytest.mark.parametrize(
    "body, status, expected",
    [
        ({}, 400, {"refresh": ["This field is required."]}),  # no token
        ({"refresh": ""}, 400, {"refresh": ["This field may not be blank."]}),  # empty
        ({"refresh": "garbage"}, 401, INVALID_TOKEN_BODY),  # not a JWT
    ],
)
def test_logout_bad_input(api_client, body, status, expected):
    response = api_client.post("/auth/jwt/logout/", body, format="json")

    assert response.status_code == status
    assert response.json() == expected


def test_logout_rejects_access_token(api_client, user):
    pair = create_pair(api_client, user)

    response = logout(api_client, pair["access"])

    assert response.status_code == 401
    assert response.json() == {"detail": "Token has wrong type", "code": "token_not_valid"}


def test_refresh_deleted_user(api_client, user):
    pair = create_pair(api_client, user)
    User.objects.filter(pk=user.pk).delete()

    response = refresh(api_client, pair["refresh"])

    assert response.status_code == 401
    assert response.json() == {"detail": "No active account found for the given token."}


def test_logout_slashless_path(api_client, user):
    pair = create_pair(api_client, user)

    response = api_client.post("/auth/jwt/logout", {"refresh": pair["refresh"]}, format="json")

    assert response.status_code == 204


# --- With the blacklist app ---------------------------------------------------------------


def blacklist_test(function):
    """Mark ``function`` for the blacklist process and skip it in any other."""
    for mark in with_blacklist:
        function = mark(function)
    return function


@blacklist_test
def test_refresh_after_logout(api_client, user):
    pair = create_pair(api_client, user)

    response = logout(api_client, pair["refresh"])
    assert response.status_code == 204
    assert response.content == b""

    response = refresh(api_client, pair["refresh"])
    assert response.status_code == 401
    assert response.json() == BLACKLISTED_TOKEN_BODY


@blacklist_test
def test_logout_twice(api_client, user):
    pair = create_pair(api_client, user)
    logout(api_client, pair["refresh"])

    response = logout(api_client, pair["refresh"])

    assert response.status_code == 401
    assert response.json() == BLACKLISTED_TOKEN_BODY


@blacklist_test
def test_logout_keeps_other_login(api_client, user):
    laptop = create_pair(api_client, user)
    phone = create_pair(api_client, user)

    logout(api_client, laptop["refresh"])

    assert refresh(api_client, laptop["refresh"]).status_code == 401
    response = refresh(api_client, phone["refresh"])
    assert response.status_code == 200
    assert response.json() == {"access": ANY}


@blacklist_test
def test_blacklist_user_tokens(api_client, user, other_user):
    pairs = [create_pair(api_client, user) for _ in range(2)]
    other = create_pair(api_client, other_user)

    assert blacklist_user_tokens(user) == 2
    # Tokens already blacklisted are not counted again.
    assert blacklist_user_tokens(user) == 0

    for pair in pairs:
        assert refresh(api_client, pair["refresh"]).status_code == 401
    assert refresh(api_client, other["refresh"]).status_code == 200


@blacklist_test
def test_blacklist_rotated_tokens(api_client, user, monkeypatch):
    # SimpleJWT's serializers keep the settings object they imported, so a changed
    # SIMPLE_JWT setting would not reach them.
    monkeypatch.setattr(jwt_serializers.api_settings, "ROTATE_REFRESH_TOKENS", True)
    pair = create_pair(api_client, user)
    rotated = refresh(api_client, pair["refresh"]).json()["refresh"]

    blacklist_user_tokens(user)

    assert refresh(api_client, rotated).status_code == 401


@blacklist_test
def test_logout_all_endpoint(api_client, user, other_user):
    laptop = create_pair(api_client, user)
    phone = create_pair(api_client, user)
    other = create_pair(api_client, other_user)

    response = api_client.post(
        "/auth/jwt/logout_all/", HTTP_AUTHORIZATION=f"Bearer {laptop['access']}"
    )

    assert response.status_code == 204
    assert refresh(api_client, laptop["refresh"]).status_code == 401
    assert refresh(api_client, phone["refresh"]).status_code == 401
    assert refresh(api_client, other["refresh"]).status_code == 200


def test_logout_all_needs_login(api_client):
    response = api_client.post("/auth/jwt/logout_all/")

    assert response.status_code == 401


@blacklist_test
def test_password_reset_blacklists(api_client, user, outbox):
    pair = create_pair(api_client, user)
    email = getattr(user, factories.email_field())

    api_client.post("/auth/users/reset_password/", {"email": email}, format="json")
    uid, token = link_parts(outbox[0])
    response = api_client.post(
        "/auth/users/reset_password_confirm/",
        {"uid": uid, "token": token, "new_password": "a-new-horse-battery"},
        format="json",
    )

    assert response.status_code == 204
    assert refresh(api_client, pair["refresh"]).status_code == 401


@blacklist_test
def test_token_logout_all_blacklists(api_client, user, settings, monkeypatch):
    """Logout-all of the hashed token app ends the user's JWT logins too."""
    settings.DJOSER = {**settings.DJOSER, "TOKEN_MODEL": "djoser.authtoken.models.AuthToken"}
    use_authentication(monkeypatch, settings, "djoser.authtoken.authentication.TokenAuthentication")
    pair = create_pair(api_client, user)
    key = api_client.post("/auth/token/login/", factories.login_data(user), format="json").json()[
        "auth_token"
    ]

    response = api_client.post("/auth/token/logout_all/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 204
    assert refresh(api_client, pair["refresh"]).status_code == 401
