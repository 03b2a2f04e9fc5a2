"""URL modules: every 2.x path and 1.x alias routes, with or without its trailing slash."""

from unittest.mock import ANY

import pytest
from django.contrib.auth import get_user_model
from django.urls import resolve, reverse

from djoser import jwt, views
from tests.bodies import BODY_FORMATS, send
from tests.factories import PASSWORD, login_data, registration_data, user_body, username_value

User = get_user_model()
USERNAME = User.USERNAME_FIELD

# A password that Django's validators accept, for bodies that set one.
NEW_PASSWORD = "another-Horse-staple-9"

ALL_METHODS = {"get": "me", "put": "me", "patch": "me", "delete": "me"}

# Every 2.x path of djoser.urls and djoser.urls.authtoken, as (path, view class, HTTP method
# -> action). Paths are relative to the "auth/" prefix of tests/urls.py.
ROUTES_2X = [
    ("users/", views.UserViewSet, {"get": "list", "post": "create"}),
    (
        "users/1/",
        views.UserViewSet,
        {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"},
    ),
    ("users/me/", views.UserViewSet, ALL_METHODS),
    ("users/activation/", views.UserViewSet, {"post": "activation"}),
    ("users/resend_activation/", views.UserViewSet, {"post": "resend_activation"}),
    ("users/set_password/", views.UserViewSet, {"post": "set_password"}),
    ("users/reset_password/", views.UserViewSet, {"post": "reset_password"}),
    ("users/reset_password_confirm/", views.UserViewSet, {"post": "reset_password_confirm"}),
    (f"users/set_{USERNAME}/", views.UserViewSet, {"post": "set_username"}),
    (f"users/reset_{USERNAME}/", views.UserViewSet, {"post": "reset_username"}),
    (f"users/reset_{USERNAME}_confirm/", views.UserViewSet, {"post": "reset_username_confirm"}),
    ("token/login/", views.TokenCreateView, None),
    ("token/logout/", views.TokenDestroyView, None),
    ("jwt/create/", jwt.TokenObtainPairView, None),
    ("jwt/refresh/", jwt.TokenRefreshView, None),
    ("jwt/verify/", jwt.TokenVerifyView, None),
]

# The 1.x paths, kept as aliases of the 2.x actions.
ROUTES_1X = [
    ("users/create/", views.UserViewSet, {"post": "create"}),
    ("users/delete/", views.UserDeleteView, {"post": "delete_me"}),
    ("users/confirm/", views.UserViewSet, {"post": "activation"}),
    ("users/activate/", views.UserViewSet, {"post": "activation"}),
    ("users/change_username/", views.UserViewSet, {"post": "set_username"}),
    ("me/", views.UserViewSet, ALL_METHODS),
    ("password/", views.UserViewSet, {"post": "set_password"}),
    ("password/reset/", views.UserViewSet, {"post": "reset_password"}),
    ("password/reset/confirm/", views.UserViewSet, {"post": "reset_password_confirm"}),
    (f"{USERNAME}/", views.UserViewSet, {"post": "set_username"}),
    ("token/create/", views.TokenCreateView, None),
    ("token/destroy/", views.TokenDestroyView, None),
]


def both_forms(path):
    """Return ``path`` with its trailing slash and without it."""
    return [path, path.rstrip("/")]


@pytest.mark.parametrize(
    "path, view_class, actions",
    [
        pytest.param(form, view_class, actions, id=form)
        for path, view_class, actions in ROUTES_2X + ROUTES_1X
        for form in both_forms(path)
    ],
)
def test_route_resolves(path, view_class, actions):
    match = resolve(f"/auth/{path}")

    assert match.func.cls is view_class
    if actions is not None:
        # DRF's router also maps HEAD wherever it maps GET.
        routed = {method: name for method, name in match.func.actions.items() if method != "head"}
        assert routed == actions


@pytest.mark.parametrize(
    "user_id",
    [
        "42",  # an integer primary key
        "6f0e3c8a-6b8e-4a55-9f5e-2f1a4c7d9e10",  # a UUID primary key
        "john.doe",  # a username as USER_ID_FIELD: the dot belongs to the id
        "john@example.com",  # an email as USER_ID_FIELD
    ],
)
def test_user_detail_takes_any_id(user_id):
    for path in both_forms(f"/auth/users/{user_id}/"):
        match = resolve(path)
        assert match.func.actions["get"] == "retrieve"
        assert list(match.kwargs.values()) == [user_id]


# URL names of the 2.x generation, with the path each reverses to.
NAMES_2X = [
    ("user-list", "users/"),
    ("user-me", "users/me/"),
    ("user-activation", "users/activation/"),
    ("user-resend-activation", "users/resend_activation/"),
    ("user-set-password", "users/set_password/"),
    ("user-reset-password", "users/reset_password/"),
    ("user-reset-password-confirm", "users/reset_password_confirm/"),
    ("user-set-username", f"users/set_{USERNAME}/"),
    ("user-reset-username", f"users/reset_{USERNAME}/"),
    ("user-reset-username-confirm", f"users/reset_{USERNAME}_confirm/"),
    ("login", "token/login/"),
    ("logout", "token/logout/"),
    ("jwt-create", "jwt/create/"),
    ("jwt-refresh", "jwt/refresh/"),
    ("jwt-verify", "jwt/verify/"),
]

# URL names of the 1.x generation and of the 1.2 viewset, kept as aliases.
NAMES_1X = [
    ("user", "me/"),
    ("user-create", "users/create/"),
    ("user-delete", "users/delete/"),
    ("user-activate", "users/activate/"),
    ("user-confirm", "users/confirm/"),
    ("user-change-username", "users/change_username/"),
    ("set_username", f"{USERNAME}/"),
    ("set_password", "password/"),
    ("password_reset", "password/reset/"),
    ("password_reset_confirm", "password/reset/confirm/"),
    ("token-create", "token/create/"),
    ("token-destroy", "token/destroy/"),
]


@pytest.mark.parametrize("name, path", NAMES_2X + NAMES_1X)
def test_url_name_reverses(name, path):
    assert reverse(name) == f"/auth/{path}"


def test_user_detail_name_reverses():
    assert reverse("user-detail", args=["7"]) == "/auth/users/7/"
    assert reverse("user-detail", args=["john.doe"]) == "/auth/users/john.doe/"


@pytest.mark.django_db
def test_router_root_lists_users(api_client):
    response = api_client.get("/auth/")

    assert response.status_code == 200
    assert response.json() == {"users": "http://testserver/auth/users/"}


# Placeholders in the tables below, which the test replaces with the ``user`` fixture's
# login body and its user body. REGISTRATION becomes a valid registration body, and
# REGISTERED the body of the account it creates.
LOGIN = "login body"
SELF = "the user's body"
SELF_LIST = "a list of the user's body"
REGISTRATION = "registration body"
REGISTERED = "the registered user's body"

WRONG_PASSWORD = {"current_password": "not-the-password"}
INVALID_PASSWORD = {"current_password": ["Invalid password."]}
BAD_UID = {"uid": ["Invalid user id or user doesn't exist."]}
BAD_LINK = {"uid": "AA", "token": "garbage"}
NOT_AN_EMAIL = {"email": "nobody"}
BAD_EMAIL = {"email": ["Enter a valid email address."]}
NEW_USERNAME = username_value("renamed")
TOKEN_NOT_VALID = {"detail": ANY, "code": "token_not_valid"}

# (method, path, request body, status, response body) for each route. Each body reaches
# its action and gets a response that only that action gives, so a redirect (which drops
# the body) or a route to the wrong view fails. "{pk}" is the user's id.
ROUTE_REQUESTS = [
    ("post", "users/", REGISTRATION, 201, REGISTERED),
    ("post", "users/create/", REGISTRATION, 201, REGISTERED),
    ("get", "users/", None, 200, SELF_LIST),
    ("get", "users/{pk}/", None, 200, SELF),
    ("patch", "users/{pk}/", {}, 200, SELF),
    ("delete", "users/{pk}/", WRONG_PASSWORD, 400, INVALID_PASSWORD),
    ("get", "users/me/", None, 200, SELF),
    ("patch", "users/me/", {}, 200, SELF),
    ("delete", "users/me/", WRONG_PASSWORD, 400, INVALID_PASSWORD),
    ("get", "me/", None, 200, SELF),
    ("patch", "me/", {}, 200, SELF),
    ("delete", "me/", WRONG_PASSWORD, 400, INVALID_PASSWORD),
    ("post", "users/delete/", WRONG_PASSWORD, 400, INVALID_PASSWORD),
    ("post", "users/activation/", BAD_LINK, 400, BAD_UID),
    ("post", "users/confirm/", BAD_LINK, 400, BAD_UID),
    ("post", "users/activate/", BAD_LINK, 400, BAD_UID),
    ("post", "users/resend_activation/", NOT_AN_EMAIL, 400, BAD_EMAIL),
    (
        "post",
        "users/set_password/",
        {**WRONG_PASSWORD, "new_password": NEW_PASSWORD},
        400,
        INVALID_PASSWORD,
    ),
    ("post", "password/", {**WRONG_PASSWORD, "new_password": NEW_PASSWORD}, 400, INVALID_PASSWORD),
    ("post", "users/reset_password/", NOT_AN_EMAIL, 400, BAD_EMAIL),
    ("post", "password/reset/", NOT_AN_EMAIL, 400, BAD_EMAIL),
    ("post", "users/reset_password_confirm/", {**BAD_LINK, "new_password": NEW_PASSWORD}, 400, BAD_UID),
    ("post", "password/reset/confirm/", {**BAD_LINK, "new_password": NEW_PASSWORD}, 400, BAD_UID),
    (
        "post",
        f"users/set_{USERNAME}/",
        {**WRONG_PASSWORD, f"new_{USERNAME}": NEW_USERNAME},
        400,
        INVALID_PASSWORD,
    ),
    (
        "post",
        "users/change_username/",
        {**WRONG_PASSWORD, f"new_{USERNAME}": NEW_USERNAME},
        400,
        INVALID_PASSWORD,
    ),
    (
        "post",
        f"{USERNAME}/",
        {**WRONG_PASSWORD, f"new_{USERNAME}": NEW_USERNAME},
        400,
        INVALID_PASSWORD,
    ),
    ("post", f"users/reset_{USERNAME}/", NOT_AN_EMAIL, 400, BAD_EMAIL),
    (
        "post",
        f"users/reset_{USERNAME}_confirm/",
        {**BAD_LINK, f"new_{USERNAME}": NEW_USERNAME},
        400,
        BAD_UID,
    ),
    ("post", "token/login/", LOGIN, 200, {"auth_token": ANY}),
    ("post", "token/create/", LOGIN, 200, {"auth_token": ANY}),
    ("post", "token/logout/", None, 204, None),
    ("post", "token/destroy/", None, 204, None),
    ("post", "jwt/create/", LOGIN, 200, {"access": ANY, "refresh": ANY}),
    ("post", "jwt/refresh/", {"refresh": "garbage"}, 401, TOKEN_NOT_VALID),
    ("post", "jwt/verify/", {"token": "garbage"}, 401, TOKEN_NOT_VALID),
]


@pytest.mark.django_db
@pytest.mark.parametrize("body_format", BODY_FORMATS)
@pytest.mark.parametrize("slash", [True, False], ids=["slash", "no-slash"])
@pytest.mark.parametrize(
    "method, path, body, status, expected",
    ROUTE_REQUESTS,
    ids=[f"{method} {path}" for method, path, *_rest in ROUTE_REQUESTS],
)
def test_route_serves_request(
    auth_client, user, method, path, body, status, expected, slash, body_format
):
    path = path.format(pk=user.pk)
    url = f"/auth/{path if slash else path.rstrip('/')}"
    placeholders = {LOGIN: login_data(user), REGISTRATION: registration_data(password=NEW_PASSWORD)}
    body = placeholders.get(body, body) if isinstance(body, str) else body

    response = send(auth_client, method, url, body, body_format)

    assert response.status_code == status, response.content
    if expected is None:
        assert response.content == b""
        return
    if expected == REGISTERED:
        created = User.objects.get(**{USERNAME: body[USERNAME]})
        expected = user_body(created)
    elif expected == SELF:
        expected = user_body(user)
    elif expected == SELF_LIST:
        expected = [user_body(user)]
    assert response.json() == expected


# (method, path under /legacy/, request body, status, response body) for the 1.x ``urls.py``
# in tests/apps/legacy_urls, which routes each 1.x view class by name.
LEGACY_REQUESTS = [
    ("post", "register/", REGISTRATION, 201, REGISTERED),
    ("post", "users/create/", REGISTRATION, 201, REGISTERED),
    ("get", "me/", None, 200, SELF),
    ("patch", "me/", {}, 200, SELF),
    ("post", "users/delete/", WRONG_PASSWORD, 400, INVALID_PASSWORD),
    ("post", "activate/", BAD_LINK, 400, BAD_UID),
    ("post", "password/", {**WRONG_PASSWORD, "new_password": NEW_PASSWORD}, 400, INVALID_PASSWORD),
    ("post", "password/reset/", NOT_AN_EMAIL, 400, BAD_EMAIL),
    ("post", "password/reset/confirm/", {**BAD_LINK, "new_password": NEW_PASSWORD}, 400, BAD_UID),
    ("post", "username/", {**WRONG_PASSWORD, f"new_{USERNAME}": NEW_USERNAME}, 400, INVALID_PASSWORD),
    ("post", "login/", LOGIN, 200, {"auth_token": ANY}),
    ("post", "logout/", None, 204, None),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method, path, body, status, expected",
    LEGACY_REQUESTS,
    ids=[f"{method} {path}" for method, path, *_rest in LEGACY_REQUESTS],
)
def test_legacy_view_serves_request(auth_client, user, method, path, body, status, expected):
    placeholders = {LOGIN: login_data(user), REGISTRATION: registration_data(password=NEW_PASSWORD)}
    body = placeholders.get(body, body) if isinstance(body, str) else body

    response = send(auth_client, method, f"/legacy/{path}", body)

    assert response.status_code == status, response.content
    if expected is None:
        assert response.content == b""
    elif expected == REGISTERED:
        assert response.json() == user_body(User.objects.get(**{USERNAME: body[USERNAME]}))
    elif expected == SELF:
        assert response.json() == user_body(user)
    else:
        assert response.json() == expected


@pytest.mark.django_db
def test_legacy_delete_view_deletes(auth_client, user):
    response = auth_client.post("/legacy/users/delete/", {"current_password": PASSWORD})

    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()


@pytest.mark.django_db
def test_legacy_root_lists_urls(api_client):
    response = api_client.get("/legacy/")

    assert response.status_code == 200
    server = "http://testserver/auth/"
    assert response.json() == {
        "user-me": f"{server}users/me/",
        "user-list": f"{server}users/",
        "user-activation": f"{server}users/activation/",
        "user-set-password": f"{server}users/set_password/",
        "user-reset-password": f"{server}users/reset_password/",
        "user-reset-password-confirm": f"{server}users/reset_password_confirm/",
        "user-set-username": f"{server}users/set_{USERNAME}/",
        "login": f"{server}token/login/",
        "logout": f"{server}token/logout/",
        "jwt-create": f"{server}jwt/create/",
        "jwt-refresh": f"{server}jwt/refresh/",
        "jwt-verify": f"{server}jwt/verify/",
    }
