"""The user endpoints: list, register, retrieve, update, delete and ``users/me/``."""

import unicodedata

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from tests.bodies import BODY_FORMATS, send
from tests.factories import (
    PASSWORD,
    create_user,
    email_field,
    is_email_login_model,
    registration_data,
    user_body,
    username_value,
)

User = get_user_model()
USERNAME = User.USERNAME_FIELD

pytestmark = pytest.mark.django_db

# A password that Django's validators accept.
NEW_PASSWORD = "another-Horse-staple-9"

# The one field of every test model that the default user serializer lets a user change:
# the email field, unless it is the username (which changes through set username).
EDITABLE_FIELD = None if is_email_login_model() else email_field()

needs_editable_field = pytest.mark.skipif(
    EDITABLE_FIELD is None, reason="the model shows no field that users/me/ may change"
)
needs_username_field = pytest.mark.skipif(
    is_email_login_model(), reason="an email username must be a valid address before it is normalised"
)

NOT_FOUND = {"detail": "Not found."}
FORBIDDEN = {"detail": "You do not have permission to perform this action."}
NO_CREDENTIALS = {"detail": "Authentication credentials were not provided."}
INVALID_PASSWORD = {"current_password": ["Invalid password."]}


def client_for(api_client, user):
    """Return ``api_client`` authenticated as ``user`` with a DRF token header."""
    token, _created = Token.objects.get_or_create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api_client


@pytest.fixture
def staff_client(api_client, staff_user):
    return client_for(api_client, staff_user)


def bodies(*users):
    """Return the user bodies of ``users`` in list order (by primary key)."""
    return [user_body(user) for user in sorted(users, key=lambda user: user.pk)]


def username_label():
    return User._meta.get_field(USERNAME).verbose_name


def registration_for(name, **overrides):
    """Return a registration body whose username, on every model, is made from ``name``."""
    return registration_data(username=name, email=f"{name}@example.com", **overrides)


def updated_body(user, value):
    """Return a full PUT body for ``user`` with the editable field set to ``value``."""
    return {**user_body(user), EDITABLE_FIELD: value}


# List.


def test_list_shows_only_self(auth_client, user, other_user, staff_user):
    response = auth_client.get("/auth/users/")

    assert response.status_code == 200
    assert response.json() == [user_body(user)]


def test_list_shows_all_to_staff(staff_client, user, other_user, staff_user):
    response = staff_client.get("/auth/users/")

    assert response.status_code == 200
    assert response.json() == bodies(user, other_user, staff_user)


def test_list_shows_all_without_hide_users(settings, auth_client, user, other_user):
    settings.DJOSER = {**settings.DJOSER, "HIDE_USERS": False}

    response = auth_client.get("/auth/users/")

    assert response.status_code == 200
    assert response.json() == bodies(user, other_user)


def test_list_requires_authentication(api_client, user):
    response = api_client.get("/auth/users/")

    assert response.status_code == 401
    assert response.json() == NO_CREDENTIALS


# Register.


@pytest.mark.parametrize("body_format", BODY_FORMATS)
def test_register_creates_user(api_client, signal_log, body_format):
    data = registration_data(password=NEW_PASSWORD)

    response = send(api_client, "post", "/auth/users/", data, body_format)

    assert response.status_code == 201, response.content
    created = User.objects.get(**{USERNAME: data[USERNAME]})
    assert response.json() == user_body(created)
    assert "password" not in response.json()
    assert created.check_password(NEW_PASSWORD)
    assert created.is_active
    assert not created.is_staff
    assert signal_log.names() == ["user_registered"]


def test_register_on_legacy_path(api_client):
    data = registration_data(password=NEW_PASSWORD)

    response = api_client.post("/auth/users/create/", data, format="json")

    assert response.status_code == 201
    assert response.json() == user_body(User.objects.get(**{USERNAME: data[USERNAME]}))


def test_register_ignores_privilege_fields(api_client):
    data = {**registration_data(), "is_staff": True, "is_superuser": True, "is_active": False}

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201
    created = User.objects.get(**{USERNAME: data[USERNAME]})
    assert not created.is_staff
    assert not created.is_superuser
    assert created.is_active


def test_register_requires_fields(api_client):
    response = api_client.post("/auth/users/", {}, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert errors[USERNAME] == ["This field is required."]
    assert errors["password"] == ["This field is required."]
    assert User.objects.count() == 0


def test_register_rejects_similar_password(api_client):
    # Django's UserAttributeSimilarityValidator compares the password with the fields of the
    # user being created, which exists nowhere yet.
    data = registration_for("zorblatt42", password=username_value("zorblatt42"))

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 400
    similar_to = "username" if hasattr(User, "username") else USERNAME
    label = User._meta.get_field(similar_to).verbose_name
    assert response.json() == {"password": [f"The password is too similar to the {label}."]}
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "password, messages",
    [
        # shorter than MinimumLengthValidator's 8 characters, and all digits
        (
            "1234567",
            [
                "This password is too short. It must contain at least 8 characters.",
                "This password is too common.",
                "This password is entirely numeric.",
            ],
        ),
        # on CommonPasswordValidator's list
        ("password", ["This password is too common."]),
    ],
)
def test_register_runs_password_validators(api_client, password, messages):
    response = api_client.post("/auth/users/", registration_data(password=password), format="json")

    assert response.status_code == 400
    assert response.json() == {"password": messages}
    assert not User.objects.exists()


def test_register_rejects_taken_username(api_client, user):
    data = registration_for("john")

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 400
    assert response.json() == {USERNAME: [f"A user with that {username_label()} already exists."]}
    assert User.objects.count() == 1


def test_register_rejects_username_case_variant(api_client, user):
    data = registration_for("JOHN")

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 400
    assert response.json() == {USERNAME: [f"A user with that {username_label()} already exists."]}
    assert User.objects.count() == 1


@needs_username_field
def test_register_normalises_username(api_client):
    fullwidth = "ｍａｒｇｏｔ"
    data = registration_data(username=fullwidth)

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201
    assert response.json()[USERNAME] == "margot"
    assert User.objects.filter(**{USERNAME: unicodedata.normalize("NFKC", fullwidth)}).exists()


@needs_username_field
def test_register_rejects_normalised_duplicate(api_client, user):
    data = registration_data(username="ｊｏｈｎ")

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 400
    assert response.json() == {USERNAME: [f"A user with that {username_label()} already exists."]}
    assert User.objects.count() == 1


def test_register_rejects_bad_json(api_client):
    response = api_client.post("/auth/users/", b'{"password": ', content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error - Expecting value: line 1 column 14 (char 13)"}
    assert not User.objects.exists()


def test_register_rejects_media_type(api_client):
    response = api_client.post("/auth/users/", b"password=x", content_type="text/plain")

    assert response.status_code == 415
    assert response.json() == {"detail": 'Unsupported media type "text/plain" in request.'}
    assert not User.objects.exists()


def test_register_rejects_wrong_types(api_client):
    data = {**registration_data(), "password": ["a", "list"], USERNAME: {"an": "object"}}

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 400
    assert response.json()["password"] == ["Not a valid string."]
    assert USERNAME in response.json()
    assert not User.objects.exists()


def test_register_rejects_nul_bytes(api_client):
    data = registration_data(password="nul\x00byte-password")

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 400
    assert response.json() == {"password": ["Null characters are not allowed."]}
    assert not User.objects.exists()


# Retrieve.


def test_retrieve_self(auth_client, user):
    response = auth_client.get(f"/auth/users/{user.pk}/")

    assert response.status_code == 200
    assert response.json() == user_body(user)


def test_retrieve_unknown_id(auth_client, user):
    for user_id in ("999999", "not-an-id", "6f0e3c8a-6b8e-4a55-9f5e-2f1a4c7d9e10"):
        response = auth_client.get(f"/auth/users/{user_id}/")
        assert response.status_code == 404, user_id
        assert response.json() == NOT_FOUND


def test_retrieve_as_staff(staff_client, user):
    response = staff_client.get(f"/auth/users/{user.pk}/")

    assert response.status_code == 200
    assert response.json() == user_body(user)


def test_retrieve_requires_authentication(api_client, user):
    response = api_client.get(f"/auth/users/{user.pk}/")

    assert response.status_code == 401
    assert response.json() == NO_CREDENTIALS


# Another user's id with HIDE_USERS on: 404 on every method, and nothing changes.
OTHER_USER_REQUESTS = [
    ("get", None),
    ("put", "put body"),
    ("patch", {"first_name": "Mallory"}),
    ("delete", {"current_password": PASSWORD}),
]


@pytest.mark.parametrize("method, body", OTHER_USER_REQUESTS)
def test_hidden_user_answers_404(auth_client, other_user, method, body):
    if body == "put body":
        body = user_body(other_user)
    before = User.objects.values().get(pk=other_user.pk)

    response = send(auth_client, method, f"/auth/users/{other_user.pk}/", body)

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert User.objects.values().get(pk=other_user.pk) == before


@pytest.mark.parametrize("method, body", OTHER_USER_REQUESTS)
def test_visible_user_answers_403(settings, auth_client, other_user, method, body):
    settings.DJOSER = {**settings.DJOSER, "HIDE_USERS": False}
    if body == "put body":
        body = user_body(other_user)
    before = User.objects.values().get(pk=other_user.pk)

    response = send(auth_client, method, f"/auth/users/{other_user.pk}/", body)

    # The default "user" permission lets a user act only on its own account, but the
    # 403 response reveals that the id exists.
    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert User.objects.values().get(pk=other_user.pk) == before


# Update and partial update.


@needs_editable_field
@pytest.mark.parametrize("path", ["/auth/users/{pk}/", "/auth/users/me/", "/auth/me/"])
@pytest.mark.parametrize("body_format", BODY_FORMATS)
def test_update_changes_user(auth_client, user, signal_log, path, body_format):
    body = updated_body(user, "renamed@example.com")

    response = send(auth_client, "put", path.format(pk=user.pk), body, body_format)

    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert getattr(user, EDITABLE_FIELD) == "renamed@example.com"
    assert response.json() == user_body(user)
    assert signal_log.names() == ["user_updated"]


@needs_editable_field
@pytest.mark.parametrize("path", ["/auth/users/{pk}/", "/auth/users/me/", "/auth/me/"])
@pytest.mark.parametrize("body_format", BODY_FORMATS)
def test_partial_update_changes_user(auth_client, user, signal_log, path, body_format):
    body = {EDITABLE_FIELD: "renamed@example.com"}

    response = send(auth_client, "patch", path.format(pk=user.pk), body, body_format)

    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert getattr(user, EDITABLE_FIELD) == "renamed@example.com"
    assert response.json() == user_body(user)
    assert signal_log.names() == ["user_updated"]


@pytest.mark.parametrize("path", ["/auth/users/{pk}/", "/auth/users/me/"])
def test_update_keeps_username(auth_client, user, path):
    username = getattr(user, USERNAME)
    body = {USERNAME: username_value("renamed"), "password": "new-password-1", "is_staff": True}

    response = auth_client.patch(path.format(pk=user.pk), body, format="json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert getattr(user, USERNAME) == username
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert response.json() == user_body(user)


@needs_editable_field
def test_update_rejects_invalid_value(auth_client, user):
    response = auth_client.patch("/auth/users/me/", {EDITABLE_FIELD: "not an email"}, format="json")

    assert response.status_code == 400
    assert response.json() == {EDITABLE_FIELD: ["Enter a valid email address."]}
    user.refresh_from_db()
    assert getattr(user, EDITABLE_FIELD) == "john@example.com"


@needs_editable_field
def test_staff_updates_other_user(staff_client, user):
    response = staff_client.patch(
        f"/auth/users/{user.pk}/", {EDITABLE_FIELD: "by-staff@example.com"}, format="json"
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert getattr(user, EDITABLE_FIELD) == "by-staff@example.com"
    assert response.json() == user_body(user)


# Delete.


@pytest.mark.parametrize(
    "method, path",
    [
        ("delete", "/auth/users/{pk}/"),
        ("delete", "/auth/users/me/"),
        ("delete", "/auth/me/"),
        # the 1.x endpoint
        ("post", "/auth/users/delete/"),
    ],
)
@pytest.mark.parametrize("body_format", BODY_FORMATS)
def test_delete_removes_user(auth_client, user, signal_log, method, path, body_format):
    response = send(
        auth_client, method, path.format(pk=user.pk), {"current_password": PASSWORD}, body_format
    )

    assert response.status_code == 204, response.content
    assert response.content == b""
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Token.objects.exists()
    assert signal_log.names() == ["user_logged_out", "user_deleted"]


@pytest.mark.parametrize(
    "method, path",
    [("delete", "/auth/users/{pk}/"), ("delete", "/auth/users/me/"), ("post", "/auth/users/delete/")],
)
def test_delete_rejects_wrong_password(auth_client, user, signal_log, method, path):
    response = send(auth_client, method, path.format(pk=user.pk), {"current_password": "wrong"})

    assert response.status_code == 400
    assert response.json() == INVALID_PASSWORD
    assert User.objects.filter(pk=user.pk).exists()
    assert Token.objects.filter(user=user).exists()
    assert signal_log.names() == []


@pytest.mark.parametrize("method, path", [("delete", "/auth/users/me/"), ("post", "/auth/users/delete/")])
def test_delete_requires_password(auth_client, user, method, path):
    response = send(auth_client, method, path, {})

    assert response.status_code == 400
    assert response.json() == {"current_password": ["This field is required."]}
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_requires_authentication(api_client, user):
    response = api_client.delete("/auth/users/me/", {"current_password": PASSWORD}, format="json")

    assert response.status_code == 401
    assert response.json() == NO_CREDENTIALS
    assert User.objects.filter(pk=user.pk).exists()


def test_staff_deletes_other_user(staff_client, staff_user, user, signal_log):
    response = staff_client.delete(
        f"/auth/users/{user.pk}/", {"current_password": PASSWORD}, format="json"
    )

    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
    # The staff member stays logged in: only the deleted account is logged out.
    assert Token.objects.filter(user=staff_user).exists()
    assert signal_log.names() == ["user_deleted"]


def test_staff_delete_checks_own_password(staff_client, staff_user, user):
    # The password asked for is the requester's, not the deleted account's.
    user.set_password("accounts-own-password")
    user.save()

    response = staff_client.delete(
        f"/auth/users/{user.pk}/", {"current_password": "accounts-own-password"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == INVALID_PASSWORD
    assert User.objects.filter(pk=user.pk).exists()


# users/me/.


@pytest.mark.parametrize("path", ["/auth/users/me/", "/auth/me/"])
def test_me_returns_self(auth_client, user, other_user, path):
    response = auth_client.get(path)

    assert response.status_code == 200
    assert response.json() == user_body(user)


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_me_requires_authentication(api_client, user, method):
    response = send(api_client, method, "/auth/users/me/", None if method == "get" else {})

    assert response.status_code == 401
    assert response.json() == NO_CREDENTIALS


@pytest.mark.parametrize("path", ["/auth/users/me/", "/auth/me/", "/legacy/me/", "/auth/users/{pk}/"])
@pytest.mark.parametrize("method", ["head", "options"])
def test_me_safe_methods_change_nothing(auth_client, user, signal_log, path, method):
    # HEAD and OPTIONS reach the same action as GET; neither may update or delete.
    response = getattr(auth_client, method)(path.format(pk=user.pk))

    assert response.status_code == 200
    assert User.objects.filter(pk=user.pk).exists()
    assert Token.objects.filter(user=user).exists()
    assert signal_log.names() == []


def test_me_rejects_unknown_method(auth_client):
    response = auth_client.post("/auth/users/me/", {}, format="json")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}


def test_me_rejects_bad_token(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = api_client.get("/auth/users/me/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_me_with_inactive_user(auth_client, user):
    user.is_active = False
    user.save()

    response = auth_client.get("/auth/users/me/")

    # Saving the account as inactive deleted its token.
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    assert not Token.objects.filter(user=user).exists()



@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/auth/users/activation/",  # AllowAny action
        "/auth/users/reset_password/",  # AllowAny action
        "/auth/users/",  # registration is AllowAny
    ],
)
def test_options_on_public_action(api_client, path):
    response = api_client.options(path)
    assert response.status_code == 200
    assert response.json()["name"]


@pytest.mark.django_db
def test_options_on_other_user_is_404(auth_client, other_user):
    response = auth_client.options(f"/auth/users/{other_user.pk}/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_options_on_own_id(auth_client, user):
    response = auth_client.options(f"/auth/users/{user.pk}/")
    assert response.status_code == 200
