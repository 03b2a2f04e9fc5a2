"""``USER_ID_FIELD``, ``HIDE_USERS``, ``PERMISSIONS`` and ``SERIALIZERS``, each on and off."""

import pytest
from django.contrib.auth import get_user_model

from djoser.serializers import CurrentUserSerializer, UserCreateSerializer, user_field_names
from tests.factories import (
    PASSWORD,
    create_user,
    login_data,
    registration_data,
    user_body,
    username_value,
)

User = get_user_model()

pytestmark = pytest.mark.django_db

USERNAME_FIELD = User.USERNAME_FIELD
EMAIL_FIELD = User.get_email_field_name()
ALLOW_ANY = ["rest_framework.permissions.AllowAny"]
IS_ADMIN = ["rest_framework.permissions.IsAdminUser"]

# The methods of users/{id}/. detail_body() gives each a valid body, so only the lookup and
# the permissions decide the status.
DETAIL_METHODS = ["get", "put", "patch", "delete"]


class FullNameUserSerializer(CurrentUserSerializer):
    """A project's ``current_user`` serializer that also shows and writes the full name."""

    class Meta(CurrentUserSerializer.Meta):
        fields = (*user_field_names(), "first_name", "last_name")


class FullNameUserCreateSerializer(UserCreateSerializer):
    """A project's ``user_create`` serializer that also takes the full name."""

    class Meta(UserCreateSerializer.Meta):
        fields = (*user_field_names(), "password", "first_name", "last_name")


def detail_body(user, method):
    """Return a valid request body for ``method`` on ``users/{id}/`` of ``user``."""
    if method == "delete":
        return {"current_password": PASSWORD}
    if method == "get":
        return None
    return user_body(user)


def request(client, method, path, body=None):
    return getattr(client, method)(path, body, format="json")


# --- USER_ID_FIELD ---------------------------------------------------------------------------


@pytest.fixture
def username_as_id(djoser_settings):
    djoser_settings(USER_ID_FIELD=USERNAME_FIELD)


def test_id_field_username_lookup(api_client, staff_user, username_as_id):
    # Usernames and emails hold dots, which the id in the URL must accept.
    dotted = create_user(username=username_value("jane.doe"), email="jane.doe@example.com")
    api_client.force_authenticate(staff_user)

    response = api_client.get(f"/auth/users/{dotted.get_username()}/")

    assert response.status_code == 200
    assert response.json() == user_body(dotted)
    assert set(response.json()) == set(user_field_names())


def test_id_field_username_pk_unknown(api_client, user, staff_user, username_as_id):
    api_client.force_authenticate(staff_user)

    response = api_client.get(f"/auth/users/{user.pk}/")

    assert response.status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_id_field_username_writes(api_client, user, staff_user, username_as_id, method):
    api_client.force_authenticate(staff_user)
    body = detail_body(user, method)

    response = request(api_client, method, f"/auth/users/{user.get_username()}/", body)

    assert response.status_code in (200, 204), response.content
    assert User.objects.filter(pk=user.pk).exists() == (method != "delete")


def test_id_field_username_register(api_client, username_as_id):
    data = registration_data()

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201
    user = User.objects.get(**{f"{USERNAME_FIELD}__iexact": data[USERNAME_FIELD]})
    assert response.json() == user_body(user)
    if User._meta.pk.name != USERNAME_FIELD:
        assert User._meta.pk.name not in response.json()


def test_id_field_default_lookup(api_client, user, staff_user):
    api_client.force_authenticate(staff_user)

    assert api_client.get(f"/auth/users/{user.pk}/").status_code == 200
    assert api_client.get(f"/auth/users/{user.get_username()}/").status_code == 404


# --- HIDE_USERS ------------------------------------------------------------------------------


def test_hide_users_list_self_only(auth_client, user, other_user, staff_user):
    response = auth_client.get("/auth/users/")

    assert response.status_code == 200
    assert response.json() == [user_body(user)]


@pytest.mark.parametrize("method", DETAIL_METHODS)
def test_hide_users_other_id_404(auth_client, user, other_user, method):
    before = user_body(other_user)

    response = request(auth_client, method, f"/auth/users/{other_user.pk}/", detail_body(other_user, method))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    other_user.refresh_from_db()
    assert user_body(other_user) == before


@pytest.mark.parametrize("method", DETAIL_METHODS)
def test_hide_users_own_id(auth_client, user, method):
    response = request(auth_client, method, f"/auth/users/{user.pk}/", detail_body(user, method))

    assert response.status_code == (204 if method == "delete" else 200), response.content
    assert User.objects.filter(pk=user.pk).exists() == (method != "delete")


@pytest.mark.parametrize("method", DETAIL_METHODS)
def test_hide_users_staff_sees_all(api_client, other_user, staff_user, method):
    api_client.force_authenticate(staff_user)
    body = {"current_password": PASSWORD} if method == "delete" else detail_body(other_user, method)

    response = request(api_client, method, f"/auth/users/{other_user.pk}/", body)

    assert response.status_code == (204 if method == "delete" else 200), response.content
    assert User.objects.filter(pk=other_user.pk).exists() == (method != "delete")


def test_hide_users_staff_lists_all(api_client, user, other_user, staff_user):
    api_client.force_authenticate(staff_user)

    response = api_client.get("/auth/users/")

    assert response.status_code == 200
    assert len(response.json()) == 3


def test_hide_users_off_lists_all(auth_client, user, other_user, djoser_settings):
    djoser_settings(HIDE_USERS=False)

    response = auth_client.get("/auth/users/")

    assert response.status_code == 200
    assert sorted(response.json(), key=str) == sorted([user_body(user), user_body(other_user)], key=str)


@pytest.mark.parametrize("method", DETAIL_METHODS)
def test_hide_users_off_other_id_403(auth_client, user, other_user, djoser_settings, method):
    djoser_settings(HIDE_USERS=False)
    before = user_body(other_user)

    response = request(auth_client, method, f"/auth/users/{other_user.pk}/", detail_body(other_user, method))

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}
    other_user.refresh_from_db()
    assert user_body(other_user) == before


def test_hide_users_anonymous_list(api_client, user):
    response = api_client.get("/auth/users/")

    assert response.status_code == 401


# --- PERMISSIONS -----------------------------------------------------------------------------


def test_permissions_user_list_any(api_client, user, other_user, djoser_settings):
    djoser_settings(PERMISSIONS={"user_list": ALLOW_ANY}, HIDE_USERS=False)

    response = api_client.get("/auth/users/")

    assert response.status_code == 200
    assert len(response.json()) == 2


def test_permissions_user_list_any_hidden(api_client, user, djoser_settings):
    # An anonymous request may list, but HIDE_USERS filters every account out of the list.
    djoser_settings(PERMISSIONS={"user_list": ALLOW_ANY})

    response = api_client.get("/auth/users/")

    assert response.status_code == 200
    assert response.json() == []


def test_permissions_read_only_others(auth_client, user, other_user, djoser_settings):
    djoser_settings(
        PERMISSIONS={"user": ["djoser.permissions.CurrentUserOrAdminOrReadOnly"]}, HIDE_USERS=False
    )

    response = auth_client.get(f"/auth/users/{other_user.pk}/")
    assert response.status_code == 200
    assert response.json() == user_body(other_user)

    response = auth_client.patch(f"/auth/users/{other_user.pk}/", {"first_name": "X"}, format="json")
    assert response.status_code == 403


def test_permissions_user_create_per_request(api_client, djoser_settings):
    djoser_settings(PERMISSIONS={"user_create": IS_ADMIN})
    response = api_client.post("/auth/users/", registration_data(), format="json")
    assert response.status_code == 401
    assert not User.objects.exists()

    djoser_settings(PERMISSIONS={})
    response = api_client.post("/auth/users/", registration_data(), format="json")
    assert response.status_code == 201


def test_permissions_user_delete(auth_client, user, djoser_settings):
    djoser_settings(PERMISSIONS={"user_delete": IS_ADMIN})

    response = auth_client.delete("/auth/users/me/", {"current_password": PASSWORD}, format="json")

    assert response.status_code == 403
    assert User.objects.filter(pk=user.pk).exists()


def test_permissions_user_me(auth_client, user, djoser_settings):
    djoser_settings(PERMISSIONS={"user": IS_ADMIN})

    assert auth_client.get("/auth/users/me/").status_code == 403

    djoser_settings(PERMISSIONS={})
    assert auth_client.get("/auth/users/me/").status_code == 200


def test_permissions_merge_keeps_defaults(api_client, user, djoser_settings):
    djoser_settings(PERMISSIONS={"user_list": ALLOW_ANY})

    # The "user" entry keeps its default, which requires authentication.
    assert api_client.get("/auth/users/me/").status_code == 401


def test_permissions_token_create(api_client, user, djoser_settings):
    djoser_settings(PERMISSIONS={"token_create": IS_ADMIN})
    response = api_client.post("/auth/token/login/", login_data(user), format="json")
    assert response.status_code in (401, 403)

    djoser_settings(PERMISSIONS={})
    response = api_client.post("/auth/token/login/", login_data(user), format="json")
    assert response.status_code == 200


# --- SERIALIZERS -----------------------------------------------------------------------------


@pytest.fixture
def full_name_serializer(djoser_settings):
    djoser_settings(SERIALIZERS={"current_user": f"{__name__}.FullNameUserSerializer"})


def test_serializers_current_user_reads(auth_client, user, full_name_serializer):
    User.objects.filter(pk=user.pk).update(first_name="Ada", last_name="Lovelace")
    user.refresh_from_db()

    response = auth_client.get("/auth/users/me/")

    assert response.status_code == 200
    assert response.json() == user_body(user, "first_name", "last_name")
    assert response.json()["first_name"] == "Ada"


def test_serializers_current_user_writes(auth_client, user, full_name_serializer):
    response = auth_client.patch(
        "/auth/users/me/", {"first_name": "Ada", "last_name": "Lovelace"}, format="json"
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")
    assert response.json() == user_body(user, "first_name", "last_name")


def test_serializers_current_user_put(auth_client, user, full_name_serializer):
    body = {**user_body(user), "first_name": "Ada", "last_name": "Lovelace"}

    response = auth_client.put("/auth/users/me/", body, format="json")

    assert response.status_code == 200, response.json()
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")


def test_serializers_current_user_username_read_only(auth_client, user, full_name_serializer):
    old_username = user.get_username()

    response = auth_client.patch(
        "/auth/users/me/", {USERNAME_FIELD: username_value("renamed")}, format="json"
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.get_username() == old_username


def test_serializers_current_user_not_detail(auth_client, user, full_name_serializer):
    # users/{id}/ keeps the "user" serializer.
    response = auth_client.get(f"/auth/users/{user.pk}/")

    assert response.status_code == 200
    assert response.json() == user_body(user)


def test_serializers_current_user_off(auth_client, user):
    response = auth_client.patch("/auth/users/me/", {"first_name": "Ada"}, format="json")

    assert response.status_code == 200
    assert response.json() == user_body(user)
    user.refresh_from_db()
    assert user.first_name == ""


def test_serializers_user_create(api_client, djoser_settings):
    djoser_settings(SERIALIZERS={"user_create": f"{__name__}.FullNameUserCreateSerializer"})
    data = registration_data(first_name="Ada", last_name="Lovelace")

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201, response.json()
    user = User.objects.get()
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")
    assert response.json() == user_body(user, "first_name", "last_name")


def test_serializers_user_create_off(api_client):
    data = registration_data(first_name="Ada", last_name="Lovelace")

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201
    assert User.objects.get().first_name == ""


def test_serializers_user_class(auth_client, user, djoser_settings):
    djoser_settings(SERIALIZERS={"user": f"{__name__}.FullNameUserSerializer"})

    response = auth_client.get(f"/auth/users/{user.pk}/")

    assert response.json() == user_body(user, "first_name", "last_name")
    assert auth_client.get("/auth/users/me/").json() == user_body(user)
