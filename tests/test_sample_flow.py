"""The sample flow of the original documentation, with form and JSON bodies."""

from unittest.mock import ANY

import pytest
from django.contrib.auth import get_user_model

User = get_user_model()

pytestmark = pytest.mark.skipif(
    User.USERNAME_FIELD != "username", reason="the documented flow registers a username"
)


@pytest.mark.django_db
@pytest.mark.parametrize("body_format", ["multipart", "json"])
def test_documented_flow(api_client, body_format):
    credentials = {"username": "djoser", "password": "alpine12"}

    response = api_client.post("/auth/users/", credentials, format=body_format)
    assert response.status_code == 201
    assert response.json() == {"email": "", "username": "djoser", "id": ANY}
    user_id = response.json()["id"]

    response = api_client.get("/auth/users/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}

    response = api_client.post("/auth/token/login/", credentials, format=body_format)
    assert response.status_code == 200
    token = response.json()["auth_token"]
    assert len(token) == 40

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get("/auth/users/me/")
    assert response.status_code == 200
    assert response.json() == {"email": "", "username": "djoser", "id": user_id}

    response = api_client.post("/auth/token/logout/")
    assert response.status_code == 204
    assert response.content == b""

    response = api_client.get("/auth/users/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


@pytest.mark.django_db
def test_jwt_create_refresh_verify(api_client, user):
    from tests.factories import PASSWORD

    response = api_client.post(
        "/auth/jwt/create/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"access": ANY, "refresh": ANY}
    pair = response.json()

    response = api_client.post("/auth/jwt/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 200
    assert response.json() == {"access": ANY}

    response = api_client.post("/auth/jwt/verify/", {"token": pair["access"]}, format="json")
    assert response.status_code == 200
    assert response.json() == {}

    for header_type in ("Bearer", "JWT"):
        api_client.credentials(HTTP_AUTHORIZATION=f"{header_type} {pair['access']}")
        response = api_client.get("/auth/users/me/")
        assert response.status_code == 200
        assert response.json() == {"id": user.pk, "username": user.username, "email": user.email}
