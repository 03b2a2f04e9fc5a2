"""djoser.authtoken: hashed tokens, one per login, with expiry, logout-all and a token list."""

import hashlib
from datetime import timedelta
from io import StringIO
from unittest.mock import ANY

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from djoser.authtoken.checks import check_token_expiry
from djoser.authtoken.models import AuthToken
from tests import factories
from tests.authentication import use_authentication
from tests.conftest import link_parts

User = get_user_model()

pytestmark = pytest.mark.django_db

HASHED_TOKEN_MODEL = "djoser.authtoken.models.AuthToken"
HASHED_AUTHENTICATION = "djoser.authtoken.authentication.TokenAuthentication"


@pytest.fixture
def hashed_tokens(settings, monkeypatch):
    """Select the hashed token model and its authentication class, as a project would."""
    settings.DJOSER = {**settings.DJOSER, "TOKEN_MODEL": HASHED_TOKEN_MODEL}
    use_authentication(monkeypatch, settings, HASHED_AUTHENTICATION)


@pytest.fixture
def auth_signals():
    """Record Django's ``user_logged_in`` and ``user_logged_out`` by name, in order."""
    from django.contrib.auth.signals import user_logged_in, user_logged_out

    sent = []
    receivers = {
        user_logged_in: lambda sender, **kwargs: sent.append("user_logged_in"),
        user_logged_out: lambda sender, **kwargs: sent.append("user_logged_out"),
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver, weak=False)
    yield sent
    for signal, receiver in receivers.items():
        signal.disconnect(receiver)


def log_in(client, user, **extra):
    """Log ``user`` in through token login and return the plain key."""
    response = client.post("/auth/token/login/", factories.login_data(user), format="json", **extra)
    assert response.status_code == 200, response.content
    assert response.json() == {"auth_token": ANY}
    return response.json()["auth_token"]


def get_me(client, key):
    return client.get("/auth/users/me/", HTTP_AUTHORIZATION=f"Token {key}")


def age_token(key, *, created=None, last_used=None):
    """Move a token's timestamps into the past by the given timedeltas."""
    token = AuthToken.objects.get(digest=hashlib.sha256(key.encode()).hexdigest())
    now = timezone.now()
    if created is not None:
        token.created = now - created
    if last_used is not None:
        token.last_used = now - last_used
    token.save()
    return token


# --- Login and storage ------------------------------------------------------------------


def test_login_stores_only_digest(api_client, user, hashed_tokens):
    key = log_in(api_client, user, HTTP_USER_AGENT="Firefox on a laptop")

    assert len(key) == 43
    token = AuthToken.objects.get()
    assert token.user == user
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert token.client_name == "Firefox on a laptop"
    row = AuthToken.objects.values().get()
    assert not any(key in str(value) for value in row.values()), row
    # The key cannot be read back from the database, only checked against it.
    assert not hasattr(AuthToken.objects.get(), "key")


@pytest.mark.parametrize(
    "body_extra, expected",
    [
        ({"client_name": "My phone"}, "My phone"),  # the body's name wins over the User-Agent
        ({"client_name": "x" * 300}, "x" * 200),  # cut to the column's length
        ({"client_name": 7}, "curl/8.0"),  # not a string: the User-Agent is used
        ({"client_name": "   "}, "curl/8.0"),  # blank: the User-Agent is used
        ({}, "curl/8.0"),  # no name at all
    ],
)
def test_login_client_name(api_client, user, hashed_tokens, body_extra, expected):
    body = {**factories.login_data(user), **body_extra}

    response = api_client.post("/auth/token/login/", body, format="json", HTTP_USER_AGENT="curl/8.0")

    assert response.status_code == 200
    assert AuthToken.objects.get().client_name == expected


def test_default_model_unchanged(api_client, user):
    from rest_framework.authtoken.models import Token

    key = log_in(api_client, user)

    assert Token.objects.get().key == key
    assert not AuthToken.objects.exists()


# --- One token per device ---------------------------------------------------------------


def test_two_logins_two_tokens(api_client, user, hashed_tokens):
    laptop = log_in(api_client, user)
    phone = log_in(api_client, user)

    assert laptop != phone
    assert AuthToken.objects.filter(user=user).count() == 2
    assert get_me(api_client, laptop).status_code == 200
    assert get_me(api_client, phone).status_code == 200

    response = api_client.post("/auth/token/logout/", HTTP_AUTHORIZATION=f"Token {laptop}")
    assert response.status_code == 204

    response = get_me(api_client, laptop)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    response = get_me(api_client, phone)
    assert response.status_code == 200
    assert response.json() == factories.user_body(user)
    assert AuthToken.objects.count() == 1


def test_logout_sends_signal_once(api_client, user, hashed_tokens, auth_signals):
    key = log_in(api_client, user)

    api_client.post("/auth/token/logout/", HTTP_AUTHORIZATION=f"Token {key}")

    assert auth_signals == ["user_logged_in", "user_logged_out"]


# --- Authentication ---------------------------------------------------------------------


def test_authenticated_get_one_query(api_client, user, hashed_tokens, django_assert_num_queries):
    key = log_in(api_client, user)

    with django_assert_num_queries(1):
        response = get_me(api_client, key)

    assert response.status_code == 200


@pytest.mark.parametrize(
    "age, queries, written",
    [
        (timedelta(seconds=30), 1, False),  # used recently: read only
        (timedelta(minutes=2), 2, True),  # a minute or more: "last used" is written
    ],
)
def test_last_used_update(api_client, user, hashed_tokens, django_assert_num_queries, age, queries, written):
    key = log_in(api_client, user)
    before = age_token(key, last_used=age).last_used

    with django_assert_num_queries(queries):
        response = get_me(api_client, key)

    assert response.status_code == 200
    after = AuthToken.objects.get().last_used
    assert (after > before) is written


@pytest.mark.parametrize(
    "ages",
    [
        {"last_used": timedelta(days=14)},  # idle for TOKEN_IDLE_TIMEOUT
        {"created": timedelta(days=90), "last_used": timedelta(0)},  # TOKEN_LIFETIME, in use
    ],
)
def test_expired_token_rejected(api_client, user, hashed_tokens, ages):
    key = log_in(api_client, user)
    age_token(key, **ages)

    response = get_me(api_client, key)

    assert response.status_code == 401
    assert response.json() == {"detail": "Token has expired."}


@pytest.mark.parametrize(
    "setting, ages",
    [
        ("TOKEN_IDLE_TIMEOUT", {"last_used": timedelta(days=400)}),  # no idle limit
        ("TOKEN_LIFETIME", {"created": timedelta(days=400)}),  # no age limit
    ],
)
def test_expiry_turned_off(api_client, user, hashed_tokens, settings, setting, ages):
    settings.DJOSER = {**settings.DJOSER, setting: None}
    key = log_in(api_client, user)
    age_token(key, **ages)

    assert get_me(api_client, key).status_code == 200


@pytest.mark.parametrize(
    "setting, value, ages, status",
    [
        ("TOKEN_IDLE_TIMEOUT", timedelta(hours=1), {"last_used": timedelta(hours=2)}, 401),
        ("TOKEN_IDLE_TIMEOUT", timedelta(hours=3), {"last_used": timedelta(hours=2)}, 200),
        ("TOKEN_LIFETIME", timedelta(days=1), {"created": timedelta(days=2)}, 401),
        ("TOKEN_LIFETIME", timedelta(days=3), {"created": timedelta(days=2)}, 200),
    ],
)
def test_expiry_settings(api_client, user, hashed_tokens, settings, setting, value, ages, status):
    settings.DJOSER = {**settings.DJOSER, setting: value}
    key = log_in(api_client, user)
    age_token(key, **ages)

    assert get_me(api_client, key).status_code == status


@pytest.mark.parametrize(
    "header",
    [
        "Token not-a-real-key",  # unknown key
        "Token " + "a" * 5000,  # far longer than any key
        "Token ",  # no key
        "Token two parts",  # a key with a space
    ],
)
def test_bad_key_rejected(api_client, user, hashed_tokens, header):
    log_in(api_client, user)

    response = api_client.get("/auth/users/me/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


def test_inactive_user_rejected(api_client, user, hashed_tokens):
    key = log_in(api_client, user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = get_me(api_client, key)

    assert response.status_code == 401
    assert response.json() == {"detail": "User account is disabled."}


# --- Logout-all and the token list -------------------------------------------------------


def test_logout_all(api_client, user, other_user, hashed_tokens, auth_signals):
    laptop = log_in(api_client, user)
    phone = log_in(api_client, user)
    other = log_in(api_client, other_user)

    response = api_client.post("/auth/token/logout_all/", HTTP_AUTHORIZATION=f"Token {laptop}")

    assert response.status_code == 204
    assert get_me(api_client, laptop).status_code == 401
    assert get_me(api_client, phone).status_code == 401
    assert get_me(api_client, other).status_code == 200
    assert not AuthToken.objects.filter(user=user).exists()
    assert auth_signals.count("user_logged_out") == 1


def test_logout_all_needs_login(api_client, hashed_tokens):
    response = api_client.post("/auth/token/logout_all/")

    assert response.status_code == 401


def test_token_list(api_client, user, other_user, hashed_tokens):
    laptop = log_in(api_client, user, HTTP_USER_AGENT="laptop")
    phone = log_in(api_client, user, HTTP_USER_AGENT="phone")
    log_in(api_client, other_user, HTTP_USER_AGENT="someone else")
    stale = log_in(api_client, user, HTTP_USER_AGENT="stale")
    age_token(stale, last_used=timedelta(days=30))
    laptop_token = age_token(laptop, created=timedelta(hours=2))
    phone_token = age_token(phone, created=timedelta(hours=1))

    response = api_client.get("/auth/tokens/", HTTP_AUTHORIZATION=f"Token {phone}")

    assert response.status_code == 200
    assert response.json() == [
        {"id": phone_token.pk, "client_name": "phone", "created": ANY, "last_used": ANY, "current": True},
        {"id": laptop_token.pk, "client_name": "laptop", "created": ANY, "last_used": ANY, "current": False},
    ]
    for key in (laptop, phone):
        assert key not in response.content.decode()
        assert hashlib.sha256(key.encode()).hexdigest() not in response.content.decode()


def test_end_token_by_id(api_client, user, hashed_tokens):
    laptop = log_in(api_client, user)
    phone = log_in(api_client, user)
    phone_id = age_token(phone).pk

    response = api_client.get(f"/auth/tokens/{phone_id}/", HTTP_AUTHORIZATION=f"Token {laptop}")
    assert response.status_code == 200
    assert response.json() == {
        "id": phone_id, "client_name": "", "created": ANY, "last_used": ANY, "current": False,
    }

    response = api_client.delete(f"/auth/tokens/{phone_id}/", HTTP_AUTHORIZATION=f"Token {laptop}")

    assert response.status_code == 204
    assert get_me(api_client, phone).status_code == 401
    assert get_me(api_client, laptop).status_code == 200


@pytest.mark.parametrize("method", ["get", "delete"])
def test_other_users_token_not_found(api_client, user, other_user, hashed_tokens, method):
    mine = log_in(api_client, user)
    theirs = log_in(api_client, other_user)
    their_id = age_token(theirs).pk

    response = getattr(api_client, method)(f"/auth/tokens/{their_id}/", HTTP_AUTHORIZATION=f"Token {mine}")

    assert response.status_code == 404
    assert get_me(api_client, theirs).status_code == 200


def test_token_list_with_session_or_jwt(api_client, user, hashed_tokens, settings, monkeypatch):
    """Another authentication method may list the tokens; then none is current."""
    use_authentication(
        monkeypatch, settings, "rest_framework_simplejwt.authentication.JWTAuthentication"
    )
    log_in(api_client, user)
    access = api_client.post("/auth/jwt/create/", factories.login_data(user), format="json").json()["access"]

    response = api_client.get("/auth/tokens/", HTTP_AUTHORIZATION=f"Bearer {access}")

    assert response.status_code == 200
    assert [token["current"] for token in response.json()] == [False]


# --- Password reset ----------------------------------------------------------------------


def test_password_reset_ends_tokens(api_client, user, hashed_tokens, outbox):
    laptop = log_in(api_client, user)
    phone = log_in(api_client, user)

    email = getattr(user, factories.email_field())
    response = api_client.post("/auth/users/reset_password/", {"email": email}, format="json")
    assert response.status_code == 204
    uid, token = link_parts(outbox[0])
    response = api_client.post(
        "/auth/users/reset_password_confirm/",
        {"uid": uid, "token": token, "new_password": "a-new-horse-battery"},
        format="json",
    )

    assert response.status_code == 204
    assert get_me(api_client, laptop).status_code == 401
    assert get_me(api_client, phone).status_code == 401
    assert not AuthToken.objects.exists()


# --- Cleaning up, settings checks, admin --------------------------------------------------


def test_delete_expired_tokens_command(api_client, user, hashed_tokens):
    fresh = log_in(api_client, user)
    age_token(log_in(api_client, user), last_used=timedelta(days=15))
    age_token(log_in(api_client, user), created=timedelta(days=91), last_used=timedelta(0))
    out = StringIO()

    call_command("delete_expired_tokens", stdout=out)

    assert out.getvalue() == "Deleted 2 expired auth token(s).\n"
    assert list(AuthToken.objects.values_list("digest", flat=True)) == [
        hashlib.sha256(fresh.encode()).hexdigest()
    ]


def test_delete_expired_tokens_never_expire(api_client, user, hashed_tokens, settings):
    settings.DJOSER = {**settings.DJOSER, "TOKEN_IDLE_TIMEOUT": None, "TOKEN_LIFETIME": None}
    age_token(log_in(api_client, user), created=timedelta(days=900), last_used=timedelta(days=900))

    call_command("delete_expired_tokens", stdout=StringIO())

    assert AuthToken.objects.count() == 1


@pytest.mark.parametrize(
    "value, valid",
    [
        (timedelta(days=1), True),  # a positive duration
        (None, True),  # no limit
        (timedelta(0), False),  # would end every token at once
        (3600, False),  # seconds as a number are not accepted
    ],
)
def test_expiry_settings_check(settings, value, valid):
    settings.DJOSER = {**settings.DJOSER, "TOKEN_LIFETIME": value}

    errors = check_token_expiry(None)

    if valid:
        assert errors == []
    else:
        assert [error.id for error in errors] == ["djoser.authtoken.E001"]
        assert "TOKEN_LIFETIME" in errors[0].msg


def test_admin_is_read_only(settings, rf, user):
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django.contrib.admin"]
    from django.contrib.admin import site

    from djoser.authtoken.admin import AuthTokenAdmin

    model_admin = site._registry[AuthToken]
    assert isinstance(model_admin, AuthTokenAdmin)
    assert model_admin.check() == []
    request = rf.get("/admin/")
    request.user = user
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    token = AuthToken.objects.create_token(user)
    assert model_admin.is_active(token) is True
