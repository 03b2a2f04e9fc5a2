"""``LOGIN_FIELD`` set to the email field on models whose username is another field."""

from unittest.mock import ANY

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from rest_framework.authtoken.models import Token

from djoser import checks
from djoser.auth_backends import LoginFieldBackend
from djoser.compat import get_user_email
from tests.conftest import link_parts
from tests.factories import PASSWORD, create_user, registration_data, user_body

User = get_user_model()

USERNAME_FIELD = User.USERNAME_FIELD
EMAIL_FIELD = User.get_email_field_name()

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        USERNAME_FIELD == EMAIL_FIELD, reason="the email is already the USERNAME_FIELD"
    ),
]

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
LOGIN_FIELD_BACKEND = "djoser.auth_backends.LoginFieldBackend"


@pytest.fixture
def login_by_email(settings):
    settings.DJOSER = {**settings.DJOSER, "LOGIN_FIELD": EMAIL_FIELD}


def email_login(user, password=PASSWORD):
    return {EMAIL_FIELD: get_user_email(user), "password": password}


def token_owner(response):
    return Token.objects.get(key=response.json()["auth_token"]).user


def test_token_login_by_email(api_client, user, login_by_email):
    response = api_client.post("/auth/token/login/", email_login(user), format="json")

    assert response.status_code == 200
    assert response.json() == {"auth_token": ANY}
    assert token_owner(response) == user


def test_token_login_email_ignores_case(api_client, user, login_by_email):
    body = {EMAIL_FIELD: get_user_email(user).upper(), "password": PASSWORD}

    response = api_client.post("/auth/token/login/", body, format="json")

    assert response.status_code == 200
    assert token_owner(response) == user


def test_token_login_by_username_rejected(api_client, user, login_by_email):
    body = {USERNAME_FIELD: user.get_username(), "password": PASSWORD}

    response = api_client.post("/auth/token/login/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {EMAIL_FIELD: ["This field is required."]}
    assert not Token.objects.exists()


def test_token_login_by_email_off(api_client, user):
    response = api_client.post("/auth/token/login/", email_login(user), format="json")

    assert response.status_code == 400
    assert response.json() == {USERNAME_FIELD: ["This field is required."]}
    assert not Token.objects.exists()


def test_token_login_by_username_off(api_client, user):
    body = {USERNAME_FIELD: user.get_username(), "password": PASSWORD}

    response = api_client.post("/auth/token/login/", body, format="json")

    assert response.status_code == 200
    assert token_owner(response) == user


def test_token_login_wrong_password(api_client, user, login_by_email):
    response = api_client.post(
        "/auth/token/login/", email_login(user, "wrong-password"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert not Token.objects.exists()


def test_token_login_inactive_user(api_client, login_by_email):
    user = create_user(is_active=False)

    response = api_client.post("/auth/token/login/", email_login(user), format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


@pytest.mark.parametrize(
    "value, error",
    [
        # The login value left out.
        (None, "This field is required."),
        # An empty string.
        ("", "This field may not be blank."),
        # A JSON list where a string belongs.
        (["john@example.com"], "Not a valid string."),
        # A NUL byte, which databases reject.
        ("john\x00@example.com", "Null characters are not allowed."),
        # Longer than any stored value could be.
        ("a" * 2000 + "@example.com", "Ensure this field has no more than 1016 characters."),
    ],
)
def test_token_login_bad_value(api_client, user, login_by_email, value, error):
    body = {"password": PASSWORD}
    if value is not None:
        body[EMAIL_FIELD] = value

    response = api_client.post("/auth/token/login/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {EMAIL_FIELD: [error]}
    assert not Token.objects.exists()


def test_token_login_null_value(api_client, user, login_by_email):
    response = api_client.post(
        "/auth/token/login/", {EMAIL_FIELD: None, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {EMAIL_FIELD: ["This field may not be null."]}


def test_shared_email_logs_in_matching_account(api_client, login_by_email):
    first = create_user(username="first", email="shared@example.com", password="first-secret-pass")
    second = create_user(
        username="second", email="shared@example.com", password="second-secret-pass"
    )

    for account, password in ((first, "first-secret-pass"), (second, "second-secret-pass")):
        response = api_client.post(
            "/auth/token/login/",
            {EMAIL_FIELD: "shared@example.com", "password": password},
            format="json",
        )
        assert response.status_code == 200
        assert token_owner(response) == account


def test_shared_email_wrong_password(api_client, login_by_email):
    create_user(username="first", email="shared@example.com")
    create_user(username="second", email="shared@example.com")

    response = api_client.post(
        "/auth/token/login/",
        {EMAIL_FIELD: "shared@example.com", "password": "wrong-password"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}


def test_login_without_backend(api_client, user, login_by_email, settings):
    settings.AUTHENTICATION_BACKENDS = [MODEL_BACKEND]

    response = api_client.post("/auth/token/login/", email_login(user), format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
    response = api_client.post("/auth/jwt/create/", email_login(user), format="json")
    assert response.status_code == 401
    assert response.json() == {"detail": "No active account found with the given credentials"}


def test_backend_check_warns(login_by_email, settings):
    settings.AUTHENTICATION_BACKENDS = [MODEL_BACKEND]

    warnings = checks.check_login_field_backend(None)

    assert [warning.id for warning in warnings] == ["djoser.W004"]


def test_backend_check_passes(login_by_email, settings):
    settings.AUTHENTICATION_BACKENDS = [MODEL_BACKEND, LOGIN_FIELD_BACKEND]

    assert checks.check_login_field_backend(None) == []


def test_backend_check_off(settings):
    settings.AUTHENTICATION_BACKENDS = [MODEL_BACKEND]

    assert checks.check_login_field_backend(None) == []


def test_field_check_rejects_unknown(settings):
    settings.DJOSER = {**settings.DJOSER, "LOGIN_FIELD": "no_such_field"}

    errors = checks.check_user_fields(None)

    assert [error.id for error in errors] == ["djoser.E001"]
    assert "no_such_field" in errors[0].msg


def test_backend_idle_when_fields_match(user):
    backend = LoginFieldBackend()

    assert backend.authenticate(None, username=user.get_username(), password=PASSWORD) is None
    assert backend.authenticate(None, **{USERNAME_FIELD: user.get_username(), "password": PASSWORD}) is None


def test_backend_ignores_username_argument(user, login_by_email):
    # Django's admin and login() pass ``username=``; that is ModelBackend's to handle.
    backend = LoginFieldBackend()

    assert backend.authenticate(None, username=get_user_email(user), password=PASSWORD) is None
    assert backend.authenticate(None, **{EMAIL_FIELD: get_user_email(user), "password": PASSWORD}) == user


def test_jwt_create_by_email(api_client, user, login_by_email):
    response = api_client.post("/auth/jwt/create/", email_login(user), format="json")

    assert response.status_code == 200
    assert response.json() == {"access": ANY, "refresh": ANY}
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    response = api_client.get("/auth/users/me/")
    assert response.status_code == 200
    assert response.json() == user_body(user)


def test_jwt_create_by_email_off(api_client, user):
    response = api_client.post("/auth/jwt/create/", email_login(user), format="json")

    assert response.status_code == 400
    assert response.json() == {USERNAME_FIELD: ["This field is required."]}


def test_jwt_create_missing_email(api_client, user, login_by_email):
    response = api_client.post("/auth/jwt/create/", {"password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert response.json() == {EMAIL_FIELD: ["This field is required."]}


def test_jwt_create_wrong_password(api_client, user, login_by_email):
    response = api_client.post(
        "/auth/jwt/create/", email_login(user, "wrong-password"), format="json"
    )

    assert response.status_code == 401
    assert response.json() == {"detail": "No active account found with the given credentials"}


def test_register_takes_username(api_client, login_by_email):
    data = registration_data()

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201, response.json()
    user = User.objects.get(**{USERNAME_FIELD: data[USERNAME_FIELD]})
    assert get_user_email(user) == data[EMAIL_FIELD]
    assert response.json() == user_body(user)
    assert USERNAME_FIELD in response.json()
    assert EMAIL_FIELD in response.json()


@pytest.mark.parametrize(
    "value, error",
    [
        # The login value left out.
        (None, "This field is required."),
        # An empty string.
        ("", "This field may not be blank."),
    ],
)
def test_register_requires_email(api_client, login_by_email, value, error):
    data = registration_data()
    del data[EMAIL_FIELD]
    if value is not None:
        data[EMAIL_FIELD] = value

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 400
    assert response.json() == {EMAIL_FIELD: [error]}
    assert not User.objects.exists()


@pytest.mark.skipif(
    not User._meta.get_field(EMAIL_FIELD).blank, reason="the model always requires an email"
)
def test_register_without_email_off(api_client):
    data = registration_data()
    del data[EMAIL_FIELD]

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201
    assert get_user_email(User.objects.get()) == ""


def test_register_email_taken(api_client, user, login_by_email):
    data = registration_data(email=get_user_email(user).upper())

    response = api_client.post("/auth/users/", data, format="json")

    label = User._meta.get_field(EMAIL_FIELD).verbose_name
    assert response.status_code == 400
    assert response.json() == {EMAIL_FIELD: [f"A user with that {label} already exists."]}
    assert User.objects.count() == 1


@pytest.mark.skipif(
    User._meta.get_field(EMAIL_FIELD).unique, reason="the model keeps emails unique itself"
)
def test_register_email_taken_off(api_client, user):
    data = registration_data(email=get_user_email(user))

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201
    assert User.objects.count() == 2


def test_me_shows_both_fields(auth_client, user, login_by_email):
    response = auth_client.get("/auth/users/me/")

    assert response.status_code == 200
    assert response.json()[USERNAME_FIELD] == user.get_username()
    assert response.json()[EMAIL_FIELD] == get_user_email(user)
    assert response.json() == user_body(user)


def test_me_email_read_only(auth_client, user, login_by_email):
    old_email = get_user_email(user)

    response = auth_client.patch("/auth/users/me/", {EMAIL_FIELD: "moved@example.com"}, format="json")

    assert response.status_code == 200
    assert response.json()[EMAIL_FIELD] == old_email
    user.refresh_from_db()
    assert get_user_email(user) == old_email


def test_me_email_writable_off(auth_client, user):
    response = auth_client.patch("/auth/users/me/", {EMAIL_FIELD: "moved@example.com"}, format="json")

    assert response.status_code == 200
    assert response.json()[EMAIL_FIELD] == "moved@example.com"
    user.refresh_from_db()
    assert get_user_email(user) == "moved@example.com"


def test_set_username_changes_username(auth_client, user, login_by_email):
    old_email = get_user_email(user)

    response = auth_client.post(
        f"/auth/users/set_{USERNAME_FIELD}/",
        {f"new_{USERNAME_FIELD}": "renamed", "current_password": PASSWORD},
        format="json",
    )

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.get_username() == "renamed"
    assert get_user_email(user) == old_email
    response = auth_client.post("/auth/token/login/", email_login(user), format="json")
    assert response.status_code == 200


def test_set_username_rejects_new_email(auth_client, user, login_by_email):
    response = auth_client.post(
        f"/auth/users/set_{USERNAME_FIELD}/",
        {f"new_{EMAIL_FIELD}": "moved@example.com", "current_password": PASSWORD},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {f"new_{USERNAME_FIELD}": ["This field is required."]}


def test_reset_username_changes_username(api_client, user, login_by_email):
    response = api_client.post(
        f"/auth/users/reset_{USERNAME_FIELD}/", {"email": get_user_email(user)}, format="json"
    )

    assert response.status_code == 204
    uid, token = link_parts(mail.outbox[0])
    response = api_client.post(
        f"/auth/users/reset_{USERNAME_FIELD}_confirm/",
        {"uid": uid, "token": token, f"new_{USERNAME_FIELD}": "renamed"},
        format="json",
    )
    assert response.status_code == 204
    user.refresh_from_db()
    assert user.get_username() == "renamed"
    response = api_client.post("/auth/token/login/", email_login(user), format="json")
    assert response.status_code == 200


def test_login_value_field_cannot_hold(api_client, user, djoser_settings):
    # The primary key stands in for a numeric or UUID login field, which letters cannot match.
    djoser_settings(LOGIN_FIELD=User._meta.pk.name)

    response = api_client.post(
        "/auth/token/login/",
        {User._meta.pk.name: "not-a-number", "password": PASSWORD},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
