"""Fields a request must never set: account flags, permissions, the password hash and the id."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from djoser.serializers import CurrentUserSerializer, UserCreateSerializer, user_field_names
from tests.factories import PASSWORD, create_user, registration_data, user_body

User = get_user_model()

pytestmark = pytest.mark.django_db

PK_NAME = User._meta.pk.name
MODEL_FIELDS = {field.name for field in User._meta.get_fields()}


def hostile_values(group):
    """Return values for every privileged field the model has, each the opposite of safe."""
    values = {
        "is_staff": True,
        "is_superuser": True,
        "groups": [group.pk],
        "user_permissions": [1],
        "last_login": "2001-01-01T00:00:00Z",
        "date_joined": "2001-01-01T00:00:00Z",
        PK_NAME: 4242 if User._meta.pk.get_internal_type() == "AutoField" else str(uuid.uuid4()),
    }
    return {name: value for name, value in values.items() if name in MODEL_FIELDS}


@pytest.fixture
def admins():
    return Group.objects.create(name="admins")


def assert_unprivileged(user, hostile):
    user.refresh_from_db()
    assert user.is_staff is False
    assert user.is_superuser is False
    if "groups" in MODEL_FIELDS:
        assert not user.groups.exists()
        assert not user.user_permissions.exists()
    assert str(user.pk) != str(hostile[PK_NAME])
    if "date_joined" in MODEL_FIELDS:
        assert user.date_joined.year != 2001
    if "last_login" in MODEL_FIELDS:
        assert user.last_login is None or user.last_login.year != 2001


def test_register_cannot_grant_privileges(api_client, admins):
    hostile = hostile_values(admins)
    data = {**registration_data(), **hostile}

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201, response.json()
    user = User.objects.get()
    assert response.json() == user_body(user)
    assert_unprivileged(user, hostile)


def test_register_cannot_skip_activation(api_client, djoser_settings):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)
    data = {**registration_data(), "is_active": True}

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201
    assert User.objects.get().is_active is False


def test_register_cannot_deactivate(api_client):
    data = {**registration_data(), "is_active": False}

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201
    assert User.objects.get().is_active is True


def test_register_password_hash_injection(api_client):
    # A password that looks like a stored hash is hashed like any other, never stored as is.
    stolen_hash = make_password("attacker-knows-this")
    data = registration_data(password=stolen_hash)

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201
    user = User.objects.get()
    assert user.password != stolen_hash
    assert user.check_password(stolen_hash)
    assert not user.check_password("attacker-knows-this")


@pytest.mark.parametrize("method", ["put", "patch"])
def test_me_cannot_become_staff(auth_client, user, admins, method):
    hostile = hostile_values(admins)
    body = {**user_body(user), **hostile}

    response = getattr(auth_client, method)("/auth/users/me/", body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json() == user_body(user)
    assert_unprivileged(user, hostile)
    # Staff would see every account in the list; this user still sees only itself.
    create_user(username="other", email="other@example.com")
    assert auth_client.get("/auth/users/").json() == [user_body(user)]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_detail_cannot_become_staff(auth_client, user, admins, method):
    hostile = hostile_values(admins)
    body = {**user_body(user), **hostile}

    response = getattr(auth_client, method)(f"/auth/users/{user.pk}/", body, format="json")

    assert response.status_code == 200, response.json()
    assert_unprivileged(user, hostile)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_me_cannot_set_password(auth_client, user, method):
    body = {**user_body(user), "password": "another-long-secret"}

    response = getattr(auth_client, method)("/auth/users/me/", body, format="json")

    assert response.status_code == 200
    assert "password" not in response.json()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_me_cannot_change_active(auth_client, user, method):
    body = {**user_body(user), "is_active": False}

    response = getattr(auth_client, method)("/auth/users/me/", body, format="json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.is_active is True


# A project serializer that lists the flags to show them, as front ends often want, without
# listing them in Meta.read_only_fields.
class FlagsUserSerializer(CurrentUserSerializer):
    class Meta(CurrentUserSerializer.Meta):
        fields = (*user_field_names(), "is_staff", "is_superuser", "is_active", "first_name")


class FlagsUserCreateSerializer(UserCreateSerializer):
    class Meta(UserCreateSerializer.Meta):
        fields = (*user_field_names(), "password", "is_staff", "is_superuser", "is_active")


def test_shown_flags_stay_read_only(auth_client, user, djoser_settings):
    djoser_settings(SERIALIZERS={"current_user": f"{__name__}.FlagsUserSerializer"})
    body = {"is_staff": True, "is_superuser": True, "is_active": False, "first_name": "Ada"}

    response = auth_client.patch("/auth/users/me/", body, format="json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, True)
    assert user.first_name == "Ada"
    assert response.json() == user_body(user, "is_staff", "is_superuser", "is_active", "first_name")


def test_shown_flags_read_only_at_register(api_client, djoser_settings):
    djoser_settings(SERIALIZERS={"user_create": f"{__name__}.FlagsUserCreateSerializer"})
    data = {**registration_data(), "is_staff": True, "is_superuser": True, "is_active": False}

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201, response.json()
    user = User.objects.get()
    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, True)
    assert response.json()["is_staff"] is False
