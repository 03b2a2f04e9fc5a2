"""The sample flow of the original documentation, with form and JSON bodies."""

from unittest.mock import ANY

import pytest
from django.contrib.auth import get_user_model

from tests.bodies import BODY_FORMATS, send
from tests.factories import login_data, user_body

User = get_user_model()


@pytest.mark.django_db
@pytest.mark.skipif(
    User._meta.label != "auth.User",
    reason="the documented bodies are those of Django's default User",
)
@pytest.mark.parametrize("body_format", BODY_FORMATS)
def test_documented_flow(api_client, body_format):
    credentials = {"username": "djoser", "password": "alpine12"}

    response = send(api_client, "post", "/auth/users/", credentials, body_format)
    assert response.status_code == 201
    assert response.json() == {"email": "", "username": "djoser", "id": ANY}
    user_id = response.json()["id"]

    response = api_client.get("/auth/users/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}

    response = send(api_client, "post", "/auth/token/login/", credentials, body_format)
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
    response = api_client.post("/auth/jwt/create/", login_data(user), format="json")
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
        assert response.json() == user_body(user)
