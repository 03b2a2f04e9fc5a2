"""Exact SQL query counts of the user, token and JWT endpoints.

Every request authenticates the way clients do, with an ``Authorization: Token ...`` (or
``Bearer ...``) header, and DRF's token lookup costs one query that also loads the user.
The counts include SAVEPOINT and RELEASE SAVEPOINT statements: pytest-django runs each
test in a transaction, so every ``transaction.atomic`` block in a view adds that pair. In
production, outside any transaction, the outermost block issues BEGIN and COMMIT instead.

Counts measured on SQLite with Django 5.2 and DRF 3.18, for the suite's user models. On a
model with a foreign key among its ``REQUIRED_FIELDS``, DRF checks that the related row
exists, which costs one query per such field in the body.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from djoser.conf import settings as djoser_settings
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

# The token lookup that authenticates each request, joined with its user.
AUTH = 1
# The SAVEPOINT and RELEASE SAVEPOINT of one atomic block.
SAVEPOINT_PAIR = 2
# One query per foreign key among REQUIRED_FIELDS, to check that the related row exists.
RELATED_CHECKS = sum(
    1 for name in User.REQUIRED_FIELDS if User._meta.get_field(name).is_relation
)

# The field users/me/ lets a user change on this model; None when every shown field is
# read-only (the email-login model).
EDITABLE_FIELD = None if is_email_login_model() else email_field()
needs_editable_field = pytest.mark.skipif(
    EDITABLE_FIELD is None, reason="the model shows no field that users/me/ may change"
)


def cascade_queries():
    """Return the number of queries that deleting a user costs, for its cascades.

    Each model with a foreign key to the user (tokens, social accounts, group links) gets
    one DELETE, so the number depends on the installed apps, not on djoser.
    """
    victim = create_user(username="victim", email="victim@example.com")
    with CaptureQueriesContext(connection) as context:
        victim.delete()
    return len(context.captured_queries)


@pytest.fixture
def staff_client(api_client, staff_user):
    token = Token.objects.create(user=staff_user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api_client


# Reading users.


def test_me_get(auth_client, django_assert_num_queries):
    with django_assert_num_queries(AUTH):
        response = auth_client.get("/auth/users/me/")

    assert response.status_code == 200


def test_list(auth_client, other_user, django_assert_num_queries):
    # The authentication, then the page of users (only the requester's own row).
    with django_assert_num_queries(AUTH + 1):
        response = auth_client.get("/auth/users/")

    assert response.status_code == 200
    assert len(response.json()) == 1


def test_list_as_staff(staff_client, user, other_user, django_assert_num_queries):
    with django_assert_num_queries(AUTH + 1):
        response = staff_client.get("/auth/users/")

    assert response.status_code == 200
    assert len(response.json()) == 3


def test_retrieve(auth_client, user, django_assert_num_queries):
    # The authentication, then the user looked up by id.
    with django_assert_num_queries(AUTH + 1):
        response = auth_client.get(f"/auth/users/{user.pk}/")

    assert response.status_code == 200


def test_retrieve_hidden_user(auth_client, other_user, django_assert_num_queries):
    with django_assert_num_queries(AUTH + 1):
        response = auth_client.get(f"/auth/users/{other_user.pk}/")

    assert response.status_code == 404


# Changing users.


@needs_editable_field
def test_me_put(auth_client, user, django_assert_num_queries):
    body = {**user_body(user), EDITABLE_FIELD: "renamed@example.com"}

    # The authentication, the related-row checks, then one UPDATE in an atomic block.
    with django_assert_num_queries(AUTH + RELATED_CHECKS + SAVEPOINT_PAIR + 1):
        response = auth_client.put("/auth/users/me/", body, format="json")

    assert response.status_code == 200


@needs_editable_field
def test_me_patch(auth_client, django_assert_num_queries):
    with django_assert_num_queries(AUTH + SAVEPOINT_PAIR + 1):
        response = auth_client.patch(
            "/auth/users/me/", {EDITABLE_FIELD: "renamed@example.com"}, format="json"
        )

    assert response.status_code == 200


@needs_editable_field
def test_me_patch_unchanged(auth_client, user, django_assert_num_queries):
    # A value equal to the stored one writes nothing.
    with django_assert_num_queries(AUTH + SAVEPOINT_PAIR):
        response = auth_client.patch(
            "/auth/users/me/", {EDITABLE_FIELD: getattr(user, EDITABLE_FIELD)}, format="json"
        )

    assert response.status_code == 200


@needs_editable_field
def test_update(auth_client, user, django_assert_num_queries):
    body = {**user_body(user), EDITABLE_FIELD: "renamed@example.com"}

    # As users/me/, plus the lookup of the user by id.
    with django_assert_num_queries(AUTH + 1 + RELATED_CHECKS + SAVEPOINT_PAIR + 1):
        response = auth_client.put(f"/auth/users/{user.pk}/", body, format="json")

    assert response.status_code == 200


@needs_editable_field
def test_partial_update(auth_client, user, django_assert_num_queries):
    with django_assert_num_queries(AUTH + 1 + SAVEPOINT_PAIR + 1):
        response = auth_client.patch(
            f"/auth/users/{user.pk}/", {EDITABLE_FIELD: "renamed@example.com"}, format="json"
        )

    assert response.status_code == 200


def test_register(api_client, django_assert_num_queries):
    body = registration_data()

    # The related-row checks, the case-insensitive username check, then the INSERT. The
    # view's atomic block holds both; the serializer's own block around the INSERT lets a
    # unique-constraint error become a 400 without breaking an enclosing transaction.
    with django_assert_num_queries(RELATED_CHECKS + 1 + 1 + 2 * SAVEPOINT_PAIR):
        response = api_client.post("/auth/users/", body, format="json")

    assert response.status_code == 201


def test_register_taken_username(api_client, user, django_assert_num_queries):
    body = registration_data(username="john", email="john@example.com")

    # The checks, then the view's atomic block rolls back: SAVEPOINT, ROLLBACK TO SAVEPOINT
    # and RELEASE SAVEPOINT.
    with django_assert_num_queries(RELATED_CHECKS + 1 + 3):
        response = api_client.post("/auth/users/", body, format="json")

    assert response.status_code == 400


# Deleting users: the cascade costs what it costs for any deletion of a user.


@pytest.mark.parametrize(
    "method, path",
    [
        ("delete", "/auth/users/me/"),
        # the 1.x endpoint
        ("post", "/auth/users/delete/"),
    ],
)
def test_delete_me(auth_client, method, path, django_assert_num_queries):
    cascade = cascade_queries()

    # The authentication, then the deletion in an atomic block. The logout deletes no
    # tokens of its own, since the cascade deletes them.
    with django_assert_num_queries(AUTH + SAVEPOINT_PAIR + cascade):
        response = getattr(auth_client, method)(path, {"current_password": PASSWORD}, format="json")

    assert response.status_code == 204


def test_delete_by_id(auth_client, user, django_assert_num_queries):
    cascade = cascade_queries()

    with django_assert_num_queries(AUTH + 1 + SAVEPOINT_PAIR + cascade):
        response = auth_client.delete(
            f"/auth/users/{user.pk}/", {"current_password": PASSWORD}, format="json"
        )

    assert response.status_code == 204


def test_delete_wrong_password(auth_client, django_assert_num_queries):
    with django_assert_num_queries(AUTH):
        response = auth_client.delete(
            "/auth/users/me/", {"current_password": "wrong"}, format="json"
        )

    assert response.status_code == 400


# Token login and logout.


def test_login_existing_token(api_client, user, django_assert_num_queries):
    Token.objects.create(user=user)

    # Find the user, find its token, update last_login.
    with django_assert_num_queries(3):
        response = api_client.post("/auth/token/login/", login_data(user), format="json")

    assert response.status_code == 200


def test_login_new_token(api_client, user, django_assert_num_queries):
    # Find the user, look for its token, INSERT one (get_or_create's atomic block), update
    # last_login.
    with django_assert_num_queries(3 + 1 + SAVEPOINT_PAIR):
        response = api_client.post("/auth/token/login/", login_data(user), format="json")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "login_prefix",
    [
        # a wrong password for an existing user
        "",
        # a login that matches no user
        "unknown-",
    ],
)
def test_login_failure(api_client, user, login_prefix, django_assert_num_queries):
    data = login_data(user, password="wrong")
    login_field = djoser_settings.LOGIN_FIELD
    data[login_field] = login_prefix + data[login_field]

    # Only the user lookup; nothing is written.
    with django_assert_num_queries(1):
        response = api_client.post("/auth/token/login/", data, format="json")

    assert response.status_code == 400


def test_logout(auth_client, django_assert_num_queries):
    # The authentication, then the DELETE of the user's tokens.
    with django_assert_num_queries(AUTH + 1):
        response = auth_client.post("/auth/token/logout/")

    assert response.status_code == 204


# JWT.


def test_jwt_create(api_client, user, django_assert_num_queries):
    # Only the user lookup: SimpleJWT leaves last_login alone by default.
    with django_assert_num_queries(1):
        response = api_client.post("/auth/jwt/create/", login_data(user), format="json")

    assert response.status_code == 200


def test_jwt_refresh_and_verify(api_client, user, django_assert_num_queries):
    pair = api_client.post("/auth/jwt/create/", login_data(user), format="json").json()

    # SimpleJWT checks that the token's user still exists and is active.
    with django_assert_num_queries(1):
        response = api_client.post("/auth/jwt/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 200

    with django_assert_num_queries(0):
        response = api_client.post("/auth/jwt/verify/", {"token": pair["access"]}, format="json")
    assert response.status_code == 200


def test_me_with_jwt(api_client, user, django_assert_num_queries):
    access = api_client.post("/auth/jwt/create/", login_data(user), format="json").json()["access"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")

    # The user named by the access token.
    with django_assert_num_queries(1):
        response = api_client.get("/auth/users/me/")

    assert response.status_code == 200
