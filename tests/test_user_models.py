"""Every account flow on the selected user model.

``DJOSER_TEST_USER_MODEL`` picks the model; ``runtests.py`` runs this file once per model in
``tests/user_models.py``. The request bodies and expected responses come from
``tests.factories``, which map ``username`` and ``email`` onto the model's own fields.
"""

import uuid
from unittest.mock import ANY

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from rest_framework.authtoken.models import Token

from djoser import signals
from djoser.compat import get_user_email
from djoser.utils import decode_uid
from tests.conftest import link_parts
from tests.factories import (
    PASSWORD,
    create_user,
    is_email_login_model,
    login_data,
    registration_data,
    user_body,
    username_value,
)

User = get_user_model()

pytestmark = pytest.mark.django_db

USERNAME_FIELD = User.USERNAME_FIELD
EMAIL_FIELD = User.get_email_field_name()
has_fk_required_field = any(User._meta.get_field(name).is_relation for name in User.REQUIRED_FIELDS)

# Registration fields that the model requires: no default and no blank value allowed.
MANDATORY_FIELDS = [
    name
    for name in dict.fromkeys([USERNAME_FIELD, *User.REQUIRED_FIELDS])
    if not User._meta.get_field(name).blank and not User._meta.get_field(name).has_default()
]


@pytest.fixture
def activation(settings):
    settings.DJOSER = {**settings.DJOSER, "SEND_ACTIVATION_EMAIL": True}


def only_email():
    assert len(mail.outbox) == 1, [message.subject for message in mail.outbox]
    return mail.outbox[0]


def test_register_shows_user_body(api_client):
    data = registration_data()

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201, response.json()
    user = User.objects.get(**{USERNAME_FIELD: data[USERNAME_FIELD]})
    assert response.json() == user_body(user)
    assert "password" not in response.json()
    assert user.check_password(PASSWORD)
    assert user.is_active
    for name in User.REQUIRED_FIELDS:
        stored = getattr(user, User._meta.get_field(name).attname)
        assert str(stored) == str(data[name])


def test_register_sends_signal(api_client):
    received = []

    def receiver(sender, user, request, **kwargs):
        received.append((sender, user))

    signals.user_registered.connect(receiver)
    try:
        response = api_client.post("/auth/users/", registration_data(), format="json")
    finally:
        signals.user_registered.disconnect(receiver)

    assert response.status_code == 201
    assert len(received) == 1
    assert str(received[0][1].pk) == str(response.json()[User._meta.pk.name])


@pytest.mark.parametrize("name", MANDATORY_FIELDS)
def test_register_missing_field(api_client, name):
    data = registration_data()
    del data[name]

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 400
    assert response.json() == {name: ["This field is required."]}
    assert not User.objects.exists()


@pytest.mark.skipif(not has_fk_required_field, reason="the model has no required foreign key")
@pytest.mark.parametrize(
    "value, message",
    [
        # A primary key that names no row.
        (999999, 'Invalid pk "999999" - object does not exist.'),
        # Not a primary key at all.
        ("not-a-pk", "Incorrect type. Expected pk value, received str."),
        # A JSON null for a field that is not nullable.
        (None, "This field may not be null."),
    ],
)
def test_register_bad_foreign_key(api_client, value, message):
    name = next(n for n in User.REQUIRED_FIELDS if User._meta.get_field(n).is_relation)
    data = registration_data()
    data[name] = value

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 400
    assert response.json() == {name: [message]}
    assert not User.objects.exists()


def test_register_username_taken_ignoring_case(api_client, user):
    data = registration_data(username=getattr(user, USERNAME_FIELD).upper())
    if is_email_login_model():
        data[USERNAME_FIELD] = get_user_email(user).upper()

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [USERNAME_FIELD]
    assert User.objects.count() == 1


def test_activation_flow(api_client, activation):
    data = registration_data(email="New.User@Example.com")

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201, response.json()
    user = User.objects.get(**{f"{USERNAME_FIELD}__iexact": data[USERNAME_FIELD]})
    assert not user.is_active
    message = only_email()
    assert message.to == [get_user_email(user)]
    uid, token = link_parts(message)
    assert decode_uid(uid) == str(user.pk)

    response = api_client.post("/auth/users/activation/", {"uid": uid, "token": token}, format="json")

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.is_active
    response = api_client.post("/auth/token/login/", login_data(user), format="json")
    assert response.status_code == 200
    assert response.json() == {"auth_token": Token.objects.get(user=user).key}


def test_resend_activation_to_stored_address(api_client, activation):
    user = create_user(email="Mixed.Case@example.com", is_active=False)

    response = api_client.post(
        "/auth/users/resend_activation/", {"email": "MIXED.CASE@EXAMPLE.COM"}, format="json"
    )

    assert response.status_code == 204
    message = only_email()
    assert message.to == ["Mixed.Case@example.com"]
    uid, token = link_parts(message)
    response = api_client.post("/auth/users/activation/", {"uid": uid, "token": token}, format="json")
    assert response.status_code == 204
    user.refresh_from_db()
    assert user.is_active


def test_token_login_and_logout(api_client, user):
    response = api_client.post("/auth/token/login/", login_data(user), format="json")

    assert response.status_code == 200
    key = response.json()["auth_token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/auth/users/me/").json() == user_body(user)

    response = api_client.post("/auth/token/logout/")

    assert response.status_code == 204
    assert not Token.objects.filter(user=user).exists()


def test_token_login_wrong_password(api_client, user):
    response = api_client.post("/auth/token/login/", login_data(user, "wrong-password"), format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert not Token.objects.exists()


def test_jwt_login(api_client, user):
    response = api_client.post("/auth/jwt/create/", login_data(user), format="json")

    assert response.status_code == 200
    assert response.json() == {"access": ANY, "refresh": ANY}
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert api_client.get("/auth/users/me/").json() == user_body(user)


def test_me_update_first_name(auth_client, user):
    response = auth_client.patch("/auth/users/me/", {"first_name": "Ada"}, format="json")

    # first_name is not shown by the default serializer, so it is not written either.
    assert response.status_code == 200
    assert response.json() == user_body(user)
    user.refresh_from_db()
    assert user.first_name == ""


def test_me_username_read_only(auth_client, user):
    old_username = user.get_username()

    response = auth_client.patch(
        "/auth/users/me/", {USERNAME_FIELD: username_value("renamed")}, format="json"
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.get_username() == old_username
    assert response.json() == user_body(user)


@pytest.mark.skipif(is_email_login_model(), reason="the email is the username, changed by set_email")
def test_me_email_change_needs_activation(auth_client, user, activation):
    response = auth_client.patch("/auth/users/me/", {EMAIL_FIELD: "moved@example.com"}, format="json")
    auth_client.credentials()

    assert response.status_code == 200
    user.refresh_from_db()
    assert getattr(user, EMAIL_FIELD) == "moved@example.com"
    assert not user.is_active
    message = only_email()
    assert message.to == ["moved@example.com"]
    uid, token = link_parts(message)
    response = auth_client.post("/auth/users/activation/", {"uid": uid, "token": token}, format="json")
    assert response.status_code == 204
    user.refresh_from_db()
    assert user.is_active


def test_set_password_flow(auth_client, user):
    response = auth_client.post(
        "/auth/users/set_password/",
        {"current_password": PASSWORD, "new_password": "another-long-secret"},
        format="json",
    )

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.check_password("another-long-secret")


def test_reset_password_flow(api_client, user):
    response = api_client.post(
        "/auth/users/reset_password/", {"email": get_user_email(user).upper()}, format="json"
    )

    assert response.status_code == 204
    message = only_email()
    assert message.to == [get_user_email(user)]
    uid, token = link_parts(message)
    response = api_client.post(
        "/auth/users/reset_password_confirm/",
        {"uid": uid, "token": token, "new_password": "another-long-secret"},
        format="json",
    )
    assert response.status_code == 204
    user.refresh_from_db()
    assert user.check_password("another-long-secret")


def test_set_username_flow(auth_client, user):
    new_value = username_value("renamed")

    response = auth_client.post(
        f"/auth/users/set_{USERNAME_FIELD}/",
        {f"new_{USERNAME_FIELD}": new_value, "current_password": PASSWORD},
        format="json",
    )

    assert response.status_code == 204, response.json()
    user.refresh_from_db()
    assert user.get_username() == new_value
    assert auth_client.post("/auth/token/login/", login_data(user), format="json").status_code == 200


def test_reset_username_flow(api_client, user):
    new_value = username_value("renamed")

    response = api_client.post(
        f"/auth/users/reset_{USERNAME_FIELD}/", {"email": get_user_email(user)}, format="json"
    )

    assert response.status_code == 204
    message = only_email()
    assert message.to == [get_user_email(user)]
    uid, token = link_parts(message)
    response = api_client.post(
        f"/auth/users/reset_{USERNAME_FIELD}_confirm/",
        {"uid": uid, "token": token, f"new_{USERNAME_FIELD}": new_value},
        format="json",
    )
    assert response.status_code == 204, response.json()
    user.refresh_from_db()
    assert user.get_username() == new_value


def test_delete_me(auth_client, user):
    response = auth_client.delete("/auth/users/me/", {"current_password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()


def test_staff_reads_user_by_id(api_client, user, staff_user):
    api_client.force_authenticate(staff_user)

    response = api_client.get(f"/auth/users/{user.pk}/")

    assert response.status_code == 200
    assert response.json() == user_body(user)


def test_staff_lists_users(api_client, user, staff_user):
    api_client.force_authenticate(staff_user)

    response = api_client.get("/auth/users/")

    assert response.status_code == 200
    assert sorted(response.json(), key=str) == sorted(
        [user_body(user), user_body(staff_user)], key=str
    )


@pytest.mark.parametrize(
    "user_id",
    [
        # Not a number and not a UUID.
        "not-an-id",
        # Too large for an integer column.
        "99999999999999999999999999",
        # A well-formed UUID that names no user.
        str(uuid.UUID(int=1)),
        # A number that names no user.
        "424242",
    ],
)
def test_unknown_user_id(api_client, staff_user, user_id):
    api_client.force_authenticate(staff_user)

    for method in ("get", "put", "patch", "delete"):
        response = getattr(api_client, method)(f"/auth/users/{user_id}/", {}, format="json")
        assert response.status_code == 404, (method, response.content)



# Endpoints that find accounts by email: (endpoint, DJOSER keys it needs, is_active of the
# accounts it mails).
EMAIL_ENDPOINTS = [
    # Reset password mails active accounts.
    ("reset_password", {}, True),
    # Resend activation mails inactive accounts, and only while activation is on.
    ("resend_activation", {"SEND_ACTIVATION_EMAIL": True}, False),
    # Reset username mails active accounts.
    (f"reset_{USERNAME_FIELD}", {}, True),
]


@pytest.mark.parametrize("endpoint, djoser_values, is_active", EMAIL_ENDPOINTS)
def test_email_match_ignores_case(api_client, djoser_settings, endpoint, djoser_values, is_active):
    djoser_settings(**djoser_values)
    create_user(email="Ada.Lovelace@example.com", is_active=is_active)

    response = api_client.post(
        f"/auth/users/{endpoint}/", {"email": "ada.LOVELACE@EXAMPLE.COM"}, format="json"
    )

    assert response.status_code == 204
    assert only_email().to == ["Ada.Lovelace@example.com"]


@pytest.mark.parametrize("endpoint, djoser_values, is_active", EMAIL_ENDPOINTS)
def test_email_match_unicode_lookalike(
    api_client, djoser_settings, endpoint, djoser_values, is_active
):
    # PostgreSQL's UPPER() maps the dotless "ı" to "I", so its case-insensitive match alone
    # would take "mıke" for "mike".
    djoser_settings(**djoser_values)
    create_user(email="mike@example.com", is_active=is_active)

    response = api_client.post(
        f"/auth/users/{endpoint}/", {"email": "m\u0131ke@example.com"}, format="json"
    )

    assert response.status_code == 204
    assert mail.outbox == []


@pytest.mark.parametrize("endpoint, djoser_values, is_active", EMAIL_ENDPOINTS)
def test_email_match_shared_address(
    api_client, djoser_settings, endpoint, djoser_values, is_active
):
    djoser_settings(**djoser_values)
    create_user(username="first", email="Shared@example.com", is_active=is_active)
    create_user(username="second", email="shared@example.com", is_active=is_active)

    response = api_client.post(
        f"/auth/users/{endpoint}/", {"email": "SHARED@example.com"}, format="json"
    )

    assert response.status_code == 204
    assert sorted(message.to[0] for message in mail.outbox) == [
        "Shared@example.com",
        "shared@example.com",
    ]
