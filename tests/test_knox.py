"""django-rest-knox's ``AuthToken`` as ``TOKEN_MODEL``, as the original documentation shows."""

from unittest.mock import ANY

import pytest
from knox.models import AuthToken

from tests import factories
from tests.authentication import use_authentication
from tests.conftest import link_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def knox_tokens(settings, monkeypatch):
    settings.DJOSER = {**settings.DJOSER, "TOKEN_MODEL": "knox.models.AuthToken"}
    use_authentication(monkeypatch, settings, "knox.auth.TokenAuthentication")


def log_in(client, user):
    response = client.post("/auth/token/login/", factories.login_data(user), format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"auth_token": ANY}
    return response.json()["auth_token"]


def get_me(client, key):
    return client.get("/auth/users/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_login_returns_knox_key(api_client, user, knox_tokens):
    key = log_in(api_client, user)

    # knox's default key: 64 hex characters, of which the database keeps a digest and the
    # first 15 characters for lookup.
    assert len(key) == 64
    token = AuthToken.objects.get()
    assert token.user == user
    assert token.digest != key
    assert key.startswith(token.token_key)
    assert len(token.token_key) < len(key)
    response = get_me(api_client, key)
    assert response.status_code == 200
    assert response.json() == factories.user_body(user)


def test_logout_ends_one_token(api_client, user, knox_tokens):
    laptop = log_in(api_client, user)
    phone = log_in(api_client, user)
    assert AuthToken.objects.filter(user=user).count() == 2

    response = api_client.post("/auth/token/logout/", HTTP_AUTHORIZATION=f"Token {laptop}")

    assert response.status_code == 204
    assert get_me(api_client, laptop).status_code == 401
    assert get_me(api_client, phone).status_code == 200
    assert AuthToken.objects.count() == 1


def test_logout_all_ends_every_token(api_client, user, other_user, knox_tokens):
    laptop = log_in(api_client, user)
    phone = log_in(api_client, user)
    other = log_in(api_client, other_user)

    response = api_client.post("/auth/token/logout_all/", HTTP_AUTHORIZATION=f"Token {laptop}")

    assert response.status_code == 204
    assert get_me(api_client, laptop).status_code == 401
    assert get_me(api_client, phone).status_code == 401
    assert get_me(api_client, other).status_code == 200


def test_password_reset_ends_tokens(api_client, user, knox_tokens, outbox):
    key = log_in(api_client, user)
    email = getattr(user, factories.email_field())

    api_client.post("/auth/users/reset_password/", {"email": email}, format="json")
    uid, token = link_parts(outbox[0])
    response = api_client.post(
        "/auth/users/reset_password_confirm/",
        {"uid": uid, "token": token, "new_password": "a-new-horse-battery"},
        format="json",
    )

    assert response.status_code == 204
    assert get_me(api_client, key).status_code == 401
    assert not AuthToken.objects.exists()
