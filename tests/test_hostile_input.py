"""Hostile input at every endpoint: each request gets a 4xx with a clear error and changes
nothing in the database.

The inputs: bodies that are not JSON objects or not JSON at all, media types the endpoints
do not accept, wrong types per field, 100,000-character strings, NUL bytes, odd Unicode,
malformed uids, garbage, expired and used tokens, and 5,000-character passwords, which must
be rejected before any password is hashed. The module runs on SQLite and PostgreSQL.
"""

import base64
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from knox.models import AuthToken as KnoxToken
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from social_django.models import UserSocialAuth

from djoser.authtoken.models import AuthToken
from djoser.conf import settings as djoser_settings
from djoser.jwt import blacklist_installed
from djoser.tokens import activation_token_generator, username_reset_token_generator
from djoser.utils import encode_uid
from tests.factories import (
    PASSWORD,
    create_user,
    email_field,
    is_email_login_model,
    login_data,
    registration_data,
    username_value,
)
from tests.hashers import record_hashed_lengths

User = get_user_model()

pytestmark = pytest.mark.django_db

USERNAME = User.USERNAME_FIELD
NEW_USERNAME = f"new_{USERNAME}"

# Values of the wrong type or shape for a string field, each with what it stands for.
WRONG_VALUES = [
    pytest.param([], id="list"),
    pytest.param(["a", "b"], id="list-of-strings"),
    pytest.param({}, id="object"),
    pytest.param({"$ne": ""}, id="operator-object"),
    pytest.param(True, id="boolean"),
    pytest.param(None, id="null"),
    pytest.param("x" * 100_000, id="100k-string"),
    pytest.param("a\x00b", id="nul-byte"),
]
# DRF's CharField reads a JSON number as its digits, as a form would send them. So numbers
# are wrong only in fields whose digits are not a valid value; the endpoints list those.
NUMBER_VALUES = [pytest.param(12345, id="integer"), pytest.param(1.5, id="float")]

# Bodies that are not a JSON object, sent as application/json.
NON_OBJECT_BODIES = [
    pytest.param(b"[]", id="array"),
    pytest.param(b'"x"', id="string"),
    pytest.param(b"1", id="number"),
    pytest.param(b"null", id="null"),
    pytest.param(b"true", id="boolean"),
]
MALFORMED_BODIES = [
    pytest.param(b'{"email": ', id="truncated"),
    pytest.param(b"{'email': 'a@example.com'}", id="single-quotes"),
    pytest.param(b'{"email": "\xff\xfe"}', id="invalid-utf8"),
    pytest.param(b'{"email": NaN}', id="nan"),
    pytest.param(b"[" * 100_000, id="deep-nesting"),
    pytest.param(b'{"n": ' + b"1" * 10_000 + b"}", id="huge-integer"),
]
# (content type, body): media types that no endpoint accepts.
WRONG_MEDIA_TYPES = [
    pytest.param("text/plain", b"email=a@example.com", id="text"),
    pytest.param("application/xml", b"<email>a@example.com</email>", id="xml"),
    pytest.param("application/octet-stream", b"\x00\x01\x02", id="binary"),
]


class Context:
    """The accounts and links a hostile request aims at, and a client logged in as ``user``."""

    def __init__(self):
        self.user = create_user()
        self.inactive = create_user(username="dormant", email="dormant@example.com", is_active=False)
        self.token = Token.objects.create(user=self.user)
        self.refresh = str(RefreshToken.for_user(self.user))
        self.uid = encode_uid(self.user.pk)

    def client(self, authenticated):
        client = APIClient()
        if authenticated:
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.token.key}")
        return client


def writable_user_field_names():
    """Return the names of the fields users/me/ lets a user write."""
    serializer = djoser_settings.SERIALIZERS.current_user()
    return [name for name, field in serializer.fields.items() if not field.read_only]


def writable_user_fields():
    """Return the fields users/me/ lets a user write, with a valid value for each."""
    valid = registration_data()
    return {name: valid[name] for name in writable_user_field_names() if name in valid}


def free_text_fields():
    """Return the fields where any digits are a valid value, so numbers are not hostile."""
    # An authorization code from a provider may be any string.
    names = {"phone", "first_name", "last_name", "code"}
    if not is_email_login_model():
        names |= {USERNAME, NEW_USERNAME}
        if djoser_settings.LOGIN_FIELD == USERNAME:
            names.add(djoser_settings.LOGIN_FIELD)
    return names


# name -> (method, path, needs login, function returning a valid body for a Context).
ENDPOINTS = {
    "register": ("post", "/auth/users/", False, lambda ctx: registration_data()),
    "me-patch": ("patch", "/auth/users/me/", True, lambda ctx: writable_user_fields()),
    "me-put": ("put", "/auth/users/me/", True, lambda ctx: writable_user_fields()),
    "detail-patch": ("patch", "/auth/users/{pk}/", True, lambda ctx: writable_user_fields()),
    # A wrong current password, so that no variant of the body can delete the account.
    "me-delete": ("delete", "/auth/users/me/", True, lambda ctx: {"current_password": "wrong-one"}),
    "activation": (
        "post",
        "/auth/users/activation/",
        False,
        lambda ctx: {
            "uid": encode_uid(ctx.inactive.pk),
            "token": activation_token_generator.make_token(ctx.inactive),
        },
    ),
    "resend-activation": (
        "post",
        "/auth/users/resend_activation/",
        False,
        lambda ctx: {"email": "dormant@example.com"},
    ),
    "set-password": (
        "post",
        "/auth/users/set_password/",
        True,
        lambda ctx: {"new_password": "another-staple-battery", "current_password": PASSWORD},
    ),
    "reset-password": (
        "post",
        "/auth/users/reset_password/",
        False,
        lambda ctx: {"email": getattr(ctx.user, email_field())},
    ),
    "reset-password-confirm": (
        "post",
        "/auth/users/reset_password_confirm/",
        False,
        lambda ctx: {
            "uid": ctx.uid,
            "token": default_token_generator.make_token(ctx.user),
            "new_password": "another-staple-battery",
        },
    ),
    "set-username": (
        "post",
        f"/auth/users/set_{USERNAME}/",
        True,
        lambda ctx: {NEW_USERNAME: username_value("renamed"), "current_password": PASSWORD},
    ),
    "reset-username": (
        "post",
        f"/auth/users/reset_{USERNAME}/",
        False,
        lambda ctx: {"email": getattr(ctx.user, email_field())},
    ),
    "reset-username-confirm": (
        "post",
        f"/auth/users/reset_{USERNAME}_confirm/",
        False,
        lambda ctx: {
            "uid": ctx.uid,
            "token": username_reset_token_generator.make_token(ctx.user),
            NEW_USERNAME: username_value("renamed"),
        },
    ),
    "token-login": ("post", "/auth/token/login/", False, lambda ctx: login_data(ctx.user)),
    "jwt-create": ("post", "/auth/jwt/create/", False, lambda ctx: login_data(ctx.user)),
    "jwt-refresh": ("post", "/auth/jwt/refresh/", False, lambda ctx: {"refresh": ctx.refresh}),
    "jwt-verify": ("post", "/auth/jwt/verify/", False, lambda ctx: {"token": ctx.refresh}),
    "social": (
        "post",
        "/auth/o/github/",
        False,
        lambda ctx: {"code": "authorization-code", "state": "state-value"},
    ),
}

BODY_ENDPOINTS = sorted(ENDPOINTS)


@pytest.fixture(autouse=True)
def hostile_settings(djoser_settings, settings):
    """Switch off throttling, turn activation on, and configure one social provider."""
    djoser_settings(THROTTLING=False, SEND_ACTIVATION_EMAIL=True)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "social_core.backends.github.GithubOAuth2",
    ]
    settings.SOCIAL_AUTH_GITHUB_KEY = "key"
    settings.SOCIAL_AUTH_GITHUB_SECRET = "secret"
    settings.DJOSER = {
        **settings.DJOSER,
        "SOCIAL_AUTH_ALLOWED_REDIRECT_URIS": ["https://frontend.example.com/callback"],
    }


@pytest.fixture
def ctx(db):
    return Context()


def snapshot():
    """Return every row a request could change: accounts, tokens, sessions, social links."""
    rows = {
        "users": list(User.objects.order_by("pk").values()),
        "drf_tokens": list(Token.objects.order_by("key").values_list("key", "user_id")),
        "hashed_tokens": list(AuthToken.objects.order_by("pk").values_list("digest", "user_id")),
        "knox_tokens": list(KnoxToken.objects.order_by("pk").values_list("digest", "user_id")),
        "sessions": list(Session.objects.order_by("pk").values_list("session_key", "session_data")),
        "social": list(UserSocialAuth.objects.order_by("pk").values()),
    }
    if not blacklist_installed():
        return rows
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    rows["outstanding"] = list(OutstandingToken.objects.order_by("pk").values_list("jti", "user_id"))
    rows["blacklisted"] = list(BlacklistedToken.objects.order_by("pk").values_list("token_id"))
    return rows


def assert_clear_error(response, field=None):
    """Assert a 4xx whose JSON body names the field at fault or gives DRF's ``detail``."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    body = response.json()
    assert isinstance(body, dict) and body, body
    if "detail" in body:
        assert isinstance(body["detail"], str) and body["detail"], body
        return body
    for key, messages in body.items():
        assert isinstance(messages, (list, dict)) and messages, body
    if field is not None:
        assert field in body or api_settings.NON_FIELD_ERRORS_KEY in body, body
    return body


def send(ctx, name, body=None, raw=None, content_type="application/json"):
    """Send ``body`` (as JSON) or ``raw`` bytes to endpoint ``name``; return the response."""
    method, path, needs_login, _valid = ENDPOINTS[name]
    path = path.format(pk=ctx.user.pk)
    client = ctx.client(needs_login)
    if raw is not None:
        return client.generic(method.upper(), path, raw, content_type)
    return getattr(client, method)(path, body, format="json")


def check_unchanged(ctx, name, **request):
    """Send the request and assert a clear 4xx with the database unchanged; return its body."""
    before = snapshot()
    field = request.pop("field", None)
    response = send(ctx, name, **request)
    body = assert_clear_error(response, field)
    assert snapshot() == before
    return body


# Bodies that are not JSON objects, malformed JSON, wrong media types.


@pytest.mark.parametrize("name", BODY_ENDPOINTS)
@pytest.mark.parametrize("raw", NON_OBJECT_BODIES)
def test_non_object_json(ctx, name, raw):
    check_unchanged(ctx, name, raw=raw)


@pytest.mark.parametrize("name", BODY_ENDPOINTS)
@pytest.mark.parametrize("raw", MALFORMED_BODIES)
def test_malformed_json(ctx, name, raw):
    body = check_unchanged(ctx, name, raw=raw)

    assert set(body) <= {"detail", api_settings.NON_FIELD_ERRORS_KEY} | set(
        ENDPOINTS[name][3](ctx)
    )


@pytest.mark.parametrize("name", BODY_ENDPOINTS)
@pytest.mark.parametrize(("content_type", "raw"), WRONG_MEDIA_TYPES)
def test_wrong_media_type(ctx, name, content_type, raw):
    before = snapshot()

    response = send(ctx, name, raw=raw, content_type=content_type)

    assert response.status_code == 415, response.content
    assert response.json() == {"detail": f'Unsupported media type "{content_type}" in request.'}
    assert snapshot() == before


@pytest.mark.parametrize("name", BODY_ENDPOINTS)
def test_empty_body(ctx, name):
    has_required_field = any(
        field.required for field in djoser_settings.SERIALIZERS.current_user().fields.values()
    )
    if name in ("me-patch", "detail-patch") or (name == "me-put" and not has_required_field):
        pytest.skip("a body without fields is a valid update that changes nothing")
    check_unchanged(ctx, name, raw=b"")


# Wrong values, one field at a time.


# endpoint -> the fields of its valid body that are the same on every user model.
FIELDS = {
    "register": ["password", "email"],
    "me-delete": ["current_password"],
    "activation": ["uid", "token"],
    "resend-activation": ["email"],
    "set-password": ["new_password", "current_password"],
    "reset-password": ["email"],
    "reset-password-confirm": ["uid", "token", "new_password"],
    "set-username": [NEW_USERNAME, "current_password"],
    "reset-username": ["email"],
    "reset-username-confirm": ["uid", "token", NEW_USERNAME],
    "token-login": ["password"],
    "jwt-create": ["password"],
    "jwt-refresh": ["refresh"],
    "jwt-verify": ["token"],
    "social": ["code", "state"],
}


def all_field_cases():
    return [
        pytest.param(name, field, id=f"{name}-{field}")
        for name, fields in FIELDS.items()
        for field in fields
    ]


def model_field_cases():
    """Return the cases whose fields depend on the user model: its own and the login field."""
    cases = []
    login_field = djoser_settings.LOGIN_FIELD
    for name in ("token-login", "jwt-create"):
        cases.append(pytest.param(name, login_field, id=f"{name}-login-field"))
    for name in ("register", "me-patch", "me-put", "detail-patch"):
        if name == "register":
            fields = [USERNAME, *User.REQUIRED_FIELDS]
        else:
            fields = writable_user_field_names()
        for field in dict.fromkeys(fields):
            if field not in ("password", "email"):
                cases.append(pytest.param(name, field, id=f"{name}-{field}"))
    return cases


def assert_field_rejected(ctx, name, field, value):
    """Send endpoint ``name`` its valid body with ``value`` in ``field``; assert it fails there."""
    body = dict(ENDPOINTS[name][3](ctx))
    if field not in body and name != "register":
        pytest.skip(f"the {name} endpoint has no field {field} on this user model")
    body[field] = value
    check_unchanged(ctx, name, body=body, field=field)


@pytest.mark.parametrize("value", WRONG_VALUES)
@pytest.mark.parametrize(("name", "field"), all_field_cases())
def test_wrong_value(ctx, name, field, value):
    if field == "email" and name == "register" and email_field() != "email":
        field = email_field()
    assert_field_rejected(ctx, name, field, value)


@pytest.mark.parametrize("value", WRONG_VALUES)
@pytest.mark.parametrize(("name", "field"), model_field_cases())
def test_wrong_value_model_field(ctx, name, field, value):
    assert_field_rejected(ctx, name, field, value)


@pytest.mark.parametrize("value", NUMBER_VALUES)
@pytest.mark.parametrize(("name", "field"), all_field_cases() + model_field_cases())
def test_number_value(ctx, name, field, value):
    if field in free_text_fields() or field == "organization":
        pytest.skip("a number is a valid value of this field")
    if field == "email" and name == "register" and email_field() != "email":
        field = email_field()
    assert_field_rejected(ctx, name, field, value)


# Passwords of 5,000 characters, rejected before any hash.


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("register", "password"),
        ("set-password", "new_password"),
        ("set-password", "current_password"),
        ("reset-password-confirm", "new_password"),
        ("set-username", "current_password"),
        ("me-delete", "current_password"),
        ("token-login", "password"),
        ("jwt-create", "password"),
    ],
)
def test_long_password_not_hashed(ctx, settings, name, field):
    body = dict(ENDPOINTS[name][3](ctx))
    body[field] = "p" * 5000

    with record_hashed_lengths(settings) as hashed_lengths:
        response_body = check_unchanged(ctx, name, body=body, field=field)

    # Another field may still be checked, such as a valid current password beside a long
    # new one; the long password itself never reaches the hasher.
    assert 5000 not in hashed_lengths()
    assert field in response_body


# Malformed uids.


def b64(text):
    return base64.urlsafe_b64encode(text.encode("utf-8", "surrogatepass")).decode().rstrip("=")


UIDS = [
    pytest.param("!!!", id="not-base64"),
    pytest.param("a", id="truncated-base64"),
    pytest.param(b64("abc"), id="not-an-integer"),
    pytest.param(b64("not-a-uuid"), id="not-a-uuid"),
    pytest.param(b64("12345678-1234-1234-1234-1234567890ab"), id="unknown-uuid"),
    pytest.param(b64("9" * 40), id="integer-overflow"),
    pytest.param(b64("-1"), id="negative"),
    pytest.param(b64("1\x00"), id="nul-byte"),
    pytest.param(b64("999999"), id="unknown-id"),
    pytest.param(base64.urlsafe_b64encode(b"\xff\xfe").decode().rstrip("="), id="not-utf8"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("uid", UIDS)
@pytest.mark.parametrize("name", ["activation", "reset-password-confirm", "reset-username-confirm"])
def test_bad_uid(ctx, name, uid):
    body = dict(ENDPOINTS[name][3](ctx))
    body["uid"] = uid

    response_body = check_unchanged(ctx, name, body=body, field="uid")

    assert "uid" in response_body


def test_uid_of_other_primary_key_type(ctx):
    # An integer uid for a UUID key, or a UUID uid for an integer key.
    other = "12345678-1234-1234-1234-1234567890ab" if isinstance(ctx.user.pk, int) else "42"
    body = dict(ENDPOINTS["reset-password-confirm"][3](ctx))
    body["uid"] = b64(other)

    assert "uid" in check_unchanged(ctx, "reset-password-confirm", body=body)


# Garbage, expired and used tokens.


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("garbage", id="garbage"),
        pytest.param("1-2", id="shaped-like-a-token"),
        pytest.param("zzzzzz-" + "0" * 32, id="bad-timestamp"),
        pytest.param("\u00e9t\u00e9-\u00e9t\u00e9", id="non-ascii"),
    ],
)
@pytest.mark.parametrize("name", ["activation", "reset-password-confirm", "reset-username-confirm"])
def test_garbage_link_token(ctx, name, token):
    body = dict(ENDPOINTS[name][3](ctx))
    body["token"] = token

    assert "token" in check_unchanged(ctx, name, body=body)


@pytest.mark.parametrize("name", ["activation", "reset-password-confirm", "reset-username-confirm"])
def test_expired_link_token(ctx, settings, token_clock, name):
    body = dict(ENDPOINTS[name][3](ctx))
    token_clock(settings.PASSWORD_RESET_TIMEOUT + 60)

    assert "token" in check_unchanged(ctx, name, body=body)


@pytest.mark.parametrize("name", ["activation", "reset-password-confirm", "reset-username-confirm"])
def test_used_link_token(ctx, name):
    body = dict(ENDPOINTS[name][3](ctx))
    first = send(ctx, name, body=body)
    assert first.status_code == 204, first.content

    check_unchanged(ctx, name, body=body)


def test_jwt_expired_and_garbage(ctx):
    expired = RefreshToken.for_user(ctx.user)
    expired.set_exp(lifetime=-timedelta(seconds=1))
    expired_access = AccessToken.for_user(ctx.user)
    expired_access.set_exp(lifetime=-timedelta(seconds=1))

    for token in (str(expired), "garbage", "a.b.c", str(expired_access)):
        check_unchanged(ctx, "jwt-refresh", body={"refresh": token})
    for token in (str(expired_access), "garbage", "a.b.c"):
        check_unchanged(ctx, "jwt-verify", body={"token": token})


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("Token garbage", id="garbage"),
        pytest.param("Token " + "x" * 100_000, id="100k"),
        pytest.param("Token a b", id="spaces"),
        pytest.param("Token", id="no-key"),
        pytest.param("Token caf\u00e9", id="non-ascii"),
        pytest.param("Bearer garbage", id="garbage-jwt"),
    ],
)
@pytest.mark.parametrize(
    "path", ["/auth/token/logout/", "/auth/users/me/", "/auth/users/set_password/"]
)
def test_bad_authorization_header(ctx, header, path):
    before = snapshot()

    response = APIClient().post(path, {}, format="json", HTTP_AUTHORIZATION=header)

    assert_clear_error(response)
    assert response.status_code in (401, 403, 405)
    assert snapshot() == before


def test_used_auth_token_logout(ctx):
    client = ctx.client(authenticated=True)
    assert client.post("/auth/token/logout/").status_code == 204
    before = snapshot()

    response = client.post("/auth/token/logout/")

    assert_clear_error(response)
    assert response.status_code == 401
    assert snapshot() == before


# Odd Unicode in usernames.


@pytest.mark.parametrize(
    "username",
    [
        pytest.param("\u0301\u0301\u0301", id="combining-marks-only"),
        pytest.param("\u200b\u200b", id="zero-width-spaces"),
        pytest.param("\u202ejohn", id="right-to-left-override"),
        pytest.param("   ", id="spaces-only"),
        pytest.param("\ud800", id="lone-surrogate"),
    ],
)
@pytest.mark.parametrize("name", ["register", "set-username"])
def test_odd_unicode_username(ctx, name, username):
    body = dict(ENDPOINTS[name][3](ctx))
    field = USERNAME if name == "register" else NEW_USERNAME
    body[field] = username_value(username)

    # As JSON escapes, which also carry a lone surrogate that UTF-8 cannot encode.
    check_unchanged(ctx, name, raw=json.dumps(body).encode(), field=field)


def fullwidth(text):
    """Return ``text`` in fullwidth letters, which NFKC turns back into ASCII."""
    return "".join(chr(ord(char) + 0xFEE0) for char in text)


# name -> function turning a username into a lookalike that matches it after NFKC and case
# folding, as Django's user creation form compares usernames.
LOOKALIKES = {
    "upper-case": str.upper,
    "title-case": str.title,
    "fullwidth": fullwidth,
    # MATHEMATICAL BOLD SMALL O in place of "o".
    "math-bold-o": lambda text: text.replace("o", "\U0001d428"),
    # KELVIN SIGN in place of "k", which lower() maps to "k".
    "kelvin-sign": lambda text: text.replace("k", "\u212a"),
}


@pytest.mark.skipif(is_email_login_model(), reason="the username is an email address")
@pytest.mark.parametrize("lookalike", sorted(LOOKALIKES))
@pytest.mark.parametrize("name", ["register", "set-username"])
def test_lookalike_username(ctx, name, lookalike):
    # An account named "okko", whose name holds an "o" and a "k" to replace.
    create_user(username="okko", email="okko@example.com")
    body = dict(ENDPOINTS[name][3](ctx))
    field = USERNAME if name == "register" else NEW_USERNAME
    body[field] = LOOKALIKES[lookalike]("okko")

    response_body = check_unchanged(ctx, name, body=body, field=field)

    assert response_body == {field: [f"A user with that {User._meta.get_field(USERNAME).verbose_name} already exists."]}


@pytest.mark.skipif(not is_email_login_model(), reason="the username is not an email address")
@pytest.mark.parametrize(
    "lookalike",
    [
        pytest.param("JOHN@EXAMPLE.COM", id="upper-case"),
        pytest.param("\uff4a\uff4f\uff48\uff4e@example.com", id="fullwidth"),
    ],
)
def test_lookalike_email_username(ctx, lookalike):
    body = registration_data()
    body[USERNAME] = lookalike

    check_unchanged(ctx, "register", body=body, field=USERNAME)


# Hostile ids in the path.


@pytest.mark.parametrize(
    "user_id",
    [
        pytest.param("abc", id="not-a-number"),
        pytest.param("9" * 40, id="overflow"),
        pytest.param("-1", id="negative"),
        pytest.param("1.5", id="decimal"),
        pytest.param("%00", id="nul-byte"),
        pytest.param("x" * 10_000, id="10k"),
        pytest.param("12345678-1234-1234-1234-1234567890ab", id="unknown-uuid"),
        pytest.param("caf%C3%A9", id="non-ascii"),
    ],
)
@pytest.mark.parametrize("method", ["get", "patch", "put", "delete"])
def test_bad_user_id(ctx, method, user_id):
    client = ctx.client(authenticated=True)
    before = snapshot()

    response = getattr(client, method)(f"/auth/users/{user_id}/", {}, format="json")

    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "Not found."}
    assert snapshot() == before


# Social login.


@pytest.mark.parametrize(
    "redirect_uri",
    [
        pytest.param("x" * 100_000, id="100k"),
        pytest.param("https://frontend.example.com/callback\x00", id="nul-byte"),
        pytest.param("https://frontend.example.com/callback/../evil", id="path-trick"),
        pytest.param("", id="empty"),
    ],
)
def test_social_bad_redirect_uri(ctx, redirect_uri):
    before = snapshot()

    response = APIClient().get("/auth/o/github/", {"redirect_uri": redirect_uri})

    assert_clear_error(response, "redirect_uri")
    assert snapshot() == before


@pytest.mark.parametrize("provider", ["nope", "x" * 1000, "github%00"])
def test_social_unknown_provider(ctx, provider):
    before = snapshot()

    response = APIClient().post(f"/auth/o/{provider}/", {"code": "a", "state": "b"}, format="json")

    assert response.status_code == 404
    assert_clear_error(response)
    assert snapshot() == before
