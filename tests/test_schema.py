"""The OpenAPI schema that drf-spectacular generates for djoser's endpoints."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import include, path
from rest_framework import serializers
from rest_framework.routers import DefaultRouter

from djoser.conf import settings as djoser_settings
from djoser.jwt import JWTCookieAuthentication
from djoser.serializers import CurrentUserSerializer, TokenSerializer
from djoser.views import UserViewSet

pytest.importorskip("drf_spectacular", reason="drf-spectacular (extra 'schema') is not installed")

from drf_spectacular.drainage import GENERATOR_STATS  # noqa: E402
from drf_spectacular.generators import SchemaGenerator  # noqa: E402
from drf_spectacular.validation import validate_schema  # noqa: E402

User = get_user_model()
USERNAME = User.USERNAME_FIELD

DJOSER_URL_MODULES = ("djoser.urls", "djoser.urls.authtoken", "djoser.urls.jwt", "djoser.social.urls")

# The 2.x paths, each once and with its trailing slash.
EXPECTED_PATHS = {
    "/auth/users/",
    "/auth/users/{id}/",
    "/auth/users/me/",
    "/auth/users/activation/",
    "/auth/users/resend_activation/",
    "/auth/users/set_password/",
    "/auth/users/reset_password/",
    "/auth/users/reset_password_confirm/",
    f"/auth/users/set_{USERNAME}/",
    f"/auth/users/reset_{USERNAME}/",
    f"/auth/users/reset_{USERNAME}_confirm/",
    "/auth/token/login/",
    "/auth/token/logout/",
    "/auth/jwt/create/",
    "/auth/jwt/refresh/",
    "/auth/jwt/verify/",
    "/auth/jwt/logout/",
    "/auth/jwt/logout_all/",
    "/auth/o/{provider}/",
}

ARRAY = "array of "


class NicknameUserSerializer(CurrentUserSerializer):
    """A project's own current-user serializer, with one extra field."""

    nickname = serializers.SerializerMethodField()

    def get_nickname(self, user) -> str:
        return user.get_username()


class ExpiringTokenSerializer(TokenSerializer):
    """A project's own token serializer, with one extra field."""

    expires = serializers.DateTimeField(read_only=True, default=None)


@pytest.fixture
def spectacular(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    }


def generate_schema(modules=DJOSER_URL_MODULES):
    """Return the validated schema of ``modules`` mounted under /auth/; fail on any warning."""
    GENERATOR_STATS.reset()
    patterns = [path("auth/", include(module)) for module in modules]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    problems = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    GENERATOR_STATS.reset()
    assert problems == []
    validate_schema(schema)
    return schema


def ref_name(schema):
    """Return the component name a schema refers to, "array of X" for a list, or None."""
    if schema is None:
        return None
    if schema.get("type") == "array":
        return ARRAY + ref_name(schema["items"])
    return schema["$ref"].rsplit("/", 1)[-1]


def request_body(operation):
    body = operation.get("requestBody")
    if body is None:
        return None
    return ref_name(body["content"]["application/json"]["schema"])


def response_bodies(operation):
    """Return status code -> component name (None for a response without a body)."""
    bodies = {}
    for code, response in operation["responses"].items():
        content = response.get("content", {}).get("application/json")
        bodies[int(code)] = ref_name(content["schema"]) if content else None
    return bodies


def component(schema, name):
    return schema["components"]["schemas"][name]


@pytest.mark.usefixtures("spectacular")
def test_schema_lists_each_path_once():
    schema = generate_schema()

    assert set(schema["paths"]) == EXPECTED_PATHS


@pytest.mark.usefixtures("spectacular")
def test_schema_of_every_djoser_url_module():
    # The optional hashed token app and the 1.x-only views generate without warnings too.
    generate_schema(DJOSER_URL_MODULES + ("djoser.authtoken.urls",))


V = "ValidationError"
E = "ErrorDetail"

OPERATIONS = [
    # (path, method, request body, {status: response body})
    ("/auth/users/", "get", None, {200: ARRAY + "User"}),
    ("/auth/users/", "post", "UserCreate", {201: "UserCreate", 400: V}),
    ("/auth/users/{id}/", "get", None, {200: "User"}),
    ("/auth/users/{id}/", "put", "User", {200: "User", 400: V}),
    ("/auth/users/{id}/", "patch", "PatchedUser", {200: "User", 400: V}),
    # DELETE takes the requesting user's current_password in its body.
    ("/auth/users/{id}/", "delete", "UserDelete", {204: None, 400: V}),
    ("/auth/users/me/", "get", None, {200: "CurrentUser"}),
    ("/auth/users/me/", "put", "CurrentUser", {200: "CurrentUser", 400: V}),
    ("/auth/users/me/", "patch", "PatchedCurrentUser", {200: "CurrentUser", 400: V}),
    ("/auth/users/me/", "delete", "UserDelete", {204: None, 400: V}),
    # An already active account gets 403.
    ("/auth/users/activation/", "post", "Activation", {204: None, 400: V, 403: E}),
    ("/auth/users/resend_activation/", "post", "SendEmailReset", {204: None, 400: V}),
    ("/auth/users/set_password/", "post", "SetPassword", {204: None, 400: V}),
    ("/auth/users/reset_password/", "post", "SendEmailReset", {204: None, 400: V}),
    (
        "/auth/users/reset_password_confirm/",
        "post",
        "PasswordResetConfirm",
        {204: None, 400: V},
    ),
    (f"/auth/users/set_{USERNAME}/", "post", "SetUsername", {204: None, 400: V}),
    (f"/auth/users/reset_{USERNAME}/", "post", "SendEmailReset", {204: None, 400: V}),
    (
        f"/auth/users/reset_{USERNAME}_confirm/",
        "post",
        "UsernameResetConfirm",
        {204: None, 400: V},
    ),
    ("/auth/token/login/", "post", "TokenCreate", {200: "Token", 400: V}),
    # Logout reads only the Authorization header.
    ("/auth/token/logout/", "post", None, {204: None}),
    ("/auth/jwt/create/", "post", "TokenObtainPair", {200: "TokenObtainPair", 400: V, 401: E}),
    ("/auth/jwt/refresh/", "post", "TokenRefresh", {200: "TokenRefresh", 400: V, 401: E}),
    ("/auth/jwt/verify/", "post", "TokenVerify", {200: "TokenVerify", 400: V, 401: E}),
    ("/auth/jwt/logout/", "post", "TokenLogout", {204: None, 400: V, 401: E}),
    ("/auth/jwt/logout_all/", "post", None, {204: None, 401: E}),
    # GET takes redirect_uri in the query string.
    ("/auth/o/{provider}/", "get", None, {200: "AuthorizationURL", 400: V, 404: E}),
    ("/auth/o/{provider}/", "post", "ProviderAuth", {201: "SocialTokenPair", 400: V, 404: E}),
]


@pytest.mark.usefixtures("spectacular")
@pytest.mark.parametrize("url, method, request_name, responses", OPERATIONS)
def test_operation_bodies(url, method, request_name, responses):
    operation = generate_schema()["paths"][url][method]

    assert request_body(operation) == request_name
    assert response_bodies(operation) == responses
    assert operation["summary"]


@pytest.mark.usefixtures("spectacular")
def test_operations_are_complete():
    schema = generate_schema()

    documented = {(url, method) for url, item in schema["paths"].items() for method in item}
    assert documented == {(url, method) for url, method, _request, _responses in OPERATIONS}


@pytest.mark.usefixtures("spectacular")
def test_request_and_response_fields():
    schema = generate_schema()

    assert set(component(schema, "UserDelete")["properties"]) == {"current_password"}
    assert component(schema, "Token")["properties"] == {
        "auth_token": {"type": "string", "readOnly": True}
    }
    assert set(component(schema, "TokenCreate")["properties"]) == {"password", User.USERNAME_FIELD}
    pair = component(schema, "TokenObtainPair")["properties"]
    assert pair == {
        User.USERNAME_FIELD: {"type": "string", "writeOnly": True},
        "password": {"type": "string", "writeOnly": True},
        "access": {"type": "string", "readOnly": True},
        "refresh": {"type": "string", "readOnly": True},
    }
    assert set(component(schema, "SocialTokenPair")["properties"]) == {"access", "refresh", "user"}
    assert component(schema, "ValidationError")["additionalProperties"] == {
        "type": "array",
        "items": {"type": "string"},
    }
    social_get = schema["paths"]["/auth/o/{provider}/"]["get"]
    query = [p for p in social_get["parameters"] if p["in"] == "query"]
    assert [(p["name"], p["required"]) for p in query] == [("redirect_uri", True)]


@pytest.mark.usefixtures("spectacular")
def test_swapped_serializers(settings):
    settings.DJOSER = {
        **settings.DJOSER,
        "SERIALIZERS": {
            "current_user": "tests.test_schema.NicknameUserSerializer",
            "token": "tests.test_schema.ExpiringTokenSerializer",
        },
    }

    schema = generate_schema()

    me = schema["paths"]["/auth/users/me/"]
    assert response_bodies(me["get"]) == {200: "NicknameUser"}
    assert request_body(me["patch"]) == "PatchedNicknameUser"
    assert "nickname" in component(schema, "NicknameUser")["properties"]
    login = schema["paths"]["/auth/token/login/"]["post"]
    assert response_bodies(login) == {200: "ExpiringToken", 400: V}
    # Endpoints that use the default serializers are unchanged.
    assert response_bodies(schema["paths"]["/auth/users/{id}/"]["get"]) == {200: "User"}


@pytest.mark.usefixtures("spectacular")
@pytest.mark.parametrize(
    "setting, url, name",
    [
        # Each retype setting switches its endpoint to the retype serializer.
        ("SET_PASSWORD_RETYPE", "/auth/users/set_password/", "SetPasswordRetype"),
        ("USER_CREATE_PASSWORD_RETYPE", "/auth/users/", "UserCreatePasswordRetype"),
        (
            "PASSWORD_RESET_CONFIRM_RETYPE",
            "/auth/users/reset_password_confirm/",
            "PasswordResetConfirmRetype",
        ),
        ("SET_USERNAME_RETYPE", f"/auth/users/set_{USERNAME}/", "SetUsernameRetype"),
    ],
)
def test_retype_settings(settings, setting, url, name):
    settings.DJOSER = {**settings.DJOSER, setting: True}

    schema = generate_schema()

    assert request_body(schema["paths"][url]["post"]) == name


@pytest.mark.usefixtures("spectacular")
def test_login_field_in_login_bodies(settings):
    email_field = User.get_email_field_name()
    if email_field == USERNAME:
        pytest.skip("the user model's USERNAME_FIELD is its email field")
    settings.DJOSER = {**settings.DJOSER, "LOGIN_FIELD": email_field}

    schema = generate_schema()

    assert set(component(schema, "TokenCreate")["properties"]) == {email_field, "password"}
    assert set(component(schema, "TokenObtainPair")["properties"]) == {
        email_field,
        "password",
        "access",
        "refresh",
    }


@pytest.mark.usefixtures("spectacular")
def test_jwt_security_schemes(settings):
    settings.SIMPLE_JWT = {"AUTH_HEADER_TYPES": ("Bearer", "JWT")}

    schemes = generate_schema()["components"]["securitySchemes"]

    assert schemes["jwtAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The access token after one of these prefixes: Bearer, JWT.",
    }


def test_djoser_imports_without_spectacular():
    # sys.modules[name] = None makes every import of drf_spectacular fail.
    code = (
        "import sys\n"
        "sys.modules['drf_spectacular'] = None\n"
        "import django\n"
        "django.setup()\n"
        "import djoser.urls, djoser.urls.jwt, djoser.urls.authtoken, djoser.views\n"
        "assert 'djoser.schema' not in sys.modules\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr


DEMO_PROJECT = Path(__file__).resolve().parent.parent / "testproject"


@pytest.mark.skipif(not DEMO_PROJECT.is_dir(), reason="the demo project is not beside the tests")
def test_demo_project_schema_validates():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("DJOSER_DB", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", os.devnull],
        cwd=DEMO_PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr


class CookieUserViewSet(UserViewSet):
    """A project's subclass of the user viewset that takes JWTs from cookies too."""

    authentication_classes = [JWTCookieAuthentication]


@pytest.mark.usefixtures("spectacular")
def test_jwt_cookie_security_scheme(settings):
    settings.SIMPLE_JWT = {"AUTH_HEADER_TYPES": ("Bearer",)}
    router = DefaultRouter()
    router.register("accounts", CookieUserViewSet, basename="account")
    GENERATOR_STATS.reset()

    schema = SchemaGenerator(patterns=router.urls).get_schema(request=None, public=True)

    assert dict(GENERATOR_STATS._warn_cache) == {}
    schemes = schema["components"]["securitySchemes"]
    assert schemes["jwtAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert schemes["jwtCookieAuth"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": djoser_settings.JWT_ACCESS_COOKIE_NAME,
        "description": (
            "The access token cookie, read only while DJOSER['JWT_COOKIE_MODE'] is set; "
            "unsafe methods also need the CSRF token."
        ),
    }
    me = schema["paths"]["/accounts/me/"]["get"]
    # Either the header or the cookie authenticates a request.
    assert me["security"] == [{"jwtAuth": []}, {"jwtCookieAuth": []}]
    # A subclass of the user viewset gets djoser's descriptions too.
    assert me["summary"] == "Show the requesting user"
    assert response_bodies(me) == {200: "CurrentUser"}
