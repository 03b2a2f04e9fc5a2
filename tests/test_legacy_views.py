"""The 1.x view classes, routed by a 1.x-style ``urls.py`` mounted at ``/legacy/``.

``tests/apps/legacy_urls/urls.py`` routes each class with ``as_view()`` as a 1.x project
did. The subclasses below override documented hooks and are routed by this module's own
``urlpatterns``.
"""

from unittest.mock import ANY

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import include, path
from rest_framework.authtoken.models import Token

from djoser import views
from djoser.compat import get_user_email
from djoser.serializers import CurrentUserSerializer
from tests.conftest import link_parts
from tests.factories import PASSWORD, login_data, registration_data, user_body, username_value

User = get_user_model()

pytestmark = pytest.mark.django_db

USERNAME_FIELD = User.USERNAME_FIELD

LEGACY_VIEW_NAMES = [
    "UserCreateView",
    "RegistrationView",
    "UserView",
    "UserDeleteView",
    "ActivationView",
    "SetPasswordView",
    "PasswordResetView",
    "PasswordResetConfirmView",
    "SetUsernameView",
    "LoginView",
    "LogoutView",
    "RootView",
]

# Users whose activation email went through an overridden hook, newest last.
hooked_users = []


class RecordingRegistrationView(views.RegistrationView):
    """A project's registration view that sends activation emails its own way."""

    def send_activation_email(self, *args, **kwargs):
        hooked_users.append(args[0])


class RecordingUserCreateView(views.UserCreateView):
    """The same override on the 1.0 name of the registration view."""

    def send_activation_email(self, user):
        hooked_users.append(user)


class FixedUserView(views.UserView):
    """A project's ``me/`` view that always uses one serializer class."""

    def get_serializer_class(self):
        return FullNameSerializer


class FullNameSerializer(CurrentUserSerializer):
    class Meta(CurrentUserSerializer.Meta):
        fields = ("first_name", "last_name")


urlpatterns = [
    path("auth/", include("djoser.urls")),
    path("register/", RecordingRegistrationView.as_view()),
    path("users/create/", RecordingUserCreateView.as_view()),
    path("me/", FixedUserView.as_view()),
]


@pytest.fixture
def activation(djoser_settings):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)


@pytest.fixture(autouse=True)
def clear_hooked_users():
    hooked_users.clear()


@pytest.mark.parametrize("name", LEGACY_VIEW_NAMES)
def test_view_importable(name):
    view_class = getattr(views, name)

    assert callable(view_class.as_view())


def test_root_lists_endpoints(api_client):
    response = api_client.get("/legacy/")

    assert response.status_code == 200
    assert response.json()["user-me"] == "http://testserver/auth/users/me/"
    assert response.json()["login"] == "http://testserver/auth/token/login/"
    assert response.json()["user-list"] == "http://testserver/auth/users/"


@pytest.mark.parametrize("path", ["/legacy/register/", "/legacy/users/create/"])
def test_register(api_client, path):
    data = registration_data()

    response = api_client.post(path, data, format="json")

    assert response.status_code == 201, response.json()
    user = User.objects.get()
    assert response.json() == user_body(user)
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("path", ["/legacy/register/", "/legacy/users/create/", "/legacy/login/"])
def test_post_only_view_get(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 405


def test_register_activate(api_client, activation):
    response = api_client.post("/legacy/register/", registration_data(), format="json")
    assert response.status_code == 201
    user = User.objects.get()
    assert not user.is_active
    uid, token = link_parts(mail.outbox[0])

    response = api_client.post("/legacy/activate/", {"uid": uid, "token": token}, format="json")

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.is_active
    response = api_client.post("/legacy/activate/", {"uid": uid, "token": token}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Stale token for given user."}


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("path", ["/register/", "/users/create/"])
def test_activation_hook_override(api_client, activation, path):
    response = api_client.post(path, registration_data(), format="json")

    assert response.status_code == 201
    user = User.objects.get()
    assert hooked_users == [user]
    assert not user.is_active
    assert mail.outbox == []


@pytest.mark.urls(__name__)
def test_activation_hook_off(api_client):
    response = api_client.post("/register/", registration_data(), format="json")

    assert response.status_code == 201
    assert hooked_users == []


@pytest.mark.urls(__name__)
def test_serializer_hook_override(auth_client, user):
    response = auth_client.patch("/me/", {"first_name": "Ada"}, format="json")

    assert response.status_code == 200
    assert response.json() == {"first_name": "Ada", "last_name": ""}
    user.refresh_from_db()
    assert user.first_name == "Ada"


def test_user_view_read_update(auth_client, user):
    response = auth_client.get("/legacy/me/")
    assert response.status_code == 200
    assert response.json() == user_body(user)

    response = auth_client.put("/legacy/me/", user_body(user), format="json")
    assert response.status_code == 200
    assert response.json() == user_body(user)

    response = auth_client.patch("/legacy/me/", {}, format="json")
    assert response.status_code == 200


def test_user_view_anonymous(api_client, user):
    response = api_client.get("/legacy/me/")

    assert response.status_code == 401


def test_user_view_no_delete(auth_client, user):
    response = auth_client.delete("/legacy/me/", {"current_password": PASSWORD}, format="json")

    assert response.status_code == 405
    assert User.objects.filter(pk=user.pk).exists()


def test_user_delete_view(auth_client, user):
    response = auth_client.post("/legacy/users/delete/", {"current_password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Token.objects.exists()


def test_user_delete_view_wrong_password(auth_client, user):
    response = auth_client.post(
        "/legacy/users/delete/", {"current_password": "wrong-password"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"current_password": ["Invalid password."]}
    assert User.objects.filter(pk=user.pk).exists()


def test_set_password_view(auth_client, user):
    response = auth_client.post(
        "/legacy/password/",
        {"current_password": PASSWORD, "new_password": "another-long-secret"},
        format="json",
    )

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.check_password("another-long-secret")


def test_set_password_view_retype(auth_client, user, djoser_settings):
    djoser_settings(SET_PASSWORD_RETYPE=True)

    response = auth_client.post(
        "/legacy/password/",
        {"current_password": PASSWORD, "new_password": "another-long-secret"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"re_new_password": ["This field is required."]}


def test_password_reset_views(api_client, user):
    response = api_client.post(
        "/legacy/password/reset/", {"email": get_user_email(user)}, format="json"
    )
    assert response.status_code == 204
    uid, token = link_parts(mail.outbox[0])

    response = api_client.post(
        "/legacy/password/reset/confirm/",
        {"uid": uid, "token": token, "new_password": "another-long-secret"},
        format="json",
    )

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.check_password("another-long-secret")


def test_set_username_view(auth_client, user):
    new_value = username_value("renamed")

    response = auth_client.post(
        "/legacy/username/",
        {f"new_{USERNAME_FIELD}": new_value, "current_password": PASSWORD},
        format="json",
    )

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.get_username() == new_value


def test_login_logout_views(api_client, user):
    response = api_client.post("/legacy/login/", login_data(user), format="json")
    assert response.status_code == 200
    assert response.json() == {"auth_token": ANY}
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['auth_token']}")

    response = api_client.post("/legacy/logout/")

    assert response.status_code == 204
    assert not Token.objects.filter(user=user).exists()


def test_login_view_wrong_password(api_client, user):
    response = api_client.post("/legacy/login/", login_data(user, "wrong-password"), format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
