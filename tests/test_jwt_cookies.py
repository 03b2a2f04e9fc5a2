"""JWTs in HttpOnly cookies, as a browser front end uses them: cookie jar, CSRF header."""

from datetime import timedelta
from unittest.mock import ANY

import pytest
from django.conf import settings as django_settings
from django.core.checks import Error, Warning
from rest_framework.test import APIClient

from djoser.checks import check_jwt_settings
from djoser.jwt import BLACKLIST_APP
from tests import factories
from tests.authentication import use_authentication

pytestmark = pytest.mark.django_db

ACCESS = "jwt_access_token"
REFRESH = "jwt_refresh_token"
NEW_PASSWORD = "a-new-horse-battery"
CSRF_MISSING = {"detail": "CSRF Failed: CSRF token missing."}


@pytest.fixture
def cookie_mode(settings, monkeypatch):
    """Return a function that turns cookie mode on, with optional extra ``DJOSER`` keys."""

    def enable(mode="cookie", **extra):
        settings.DJOSER = {**settings.DJOSER, "JWT_COOKIE_MODE": mode, **extra}
        use_authentication(monkeypatch, settings, "djoser.jwt_cookies.JWTCookieAuthentication")

    return enable


@pytest.fixture
def browser():
    """A client that keeps cookies and, like a browser, is held to Django's CSRF checks."""
    return APIClient(enforce_csrf_checks=True)


def log_in(client, user):
    response = client.post("/auth/jwt/create/", factories.login_data(user), format="json")
    assert response.status_code == 200, response.content
    return response


def csrf_header(client):
    """Return the header a front end sends: the CSRF cookie's value, read by its script."""
    return {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def set_password(client, **extra):
    body = {"current_password": factories.PASSWORD, "new_password": NEW_PASSWORD}
    return client.post("/auth/users/set_password/", body, format="json", **extra)


def is_deleted(morsel):
    return morsel.value == "" and morsel["max-age"] == 0


# --- The browser flow -----------------------------------------------------------------------


def test_browser_flow(browser, user, cookie_mode):
    cookie_mode()

    response = log_in(browser, user)
    assert response.json() == {}
    access = response.cookies[ACCESS]
    refresh = response.cookies[REFRESH]
    for morsel in (access, refresh):
        assert morsel.value
        assert morsel["httponly"] is True
        assert morsel["secure"] is True
        assert morsel["samesite"] == "Lax"
        assert morsel["path"] == "/"
        assert morsel["domain"] == ""
    assert access["max-age"] == 300  # SimpleJWT's default ACCESS_TOKEN_LIFETIME
    assert refresh["max-age"] == 86400  # and REFRESH_TOKEN_LIFETIME
    assert browser.cookies["csrftoken"].value

    response = browser.get("/auth/users/me/")
    assert response.status_code == 200
    assert response.json() == factories.user_body(user)

    response = browser.post("/auth/jwt/refresh/", format="json", **csrf_header(browser))
    assert response.status_code == 200
    assert response.json() == {}
    assert response.cookies[ACCESS].value not in ("", access.value)
    assert REFRESH not in response.cookies  # not rotated: the refresh cookie stays
    assert browser.get("/auth/users/me/").status_code == 200

    response = browser.post("/auth/jwt/logout/", format="json", **csrf_header(browser))
    assert response.status_code == 204
    assert is_deleted(response.cookies[ACCESS])
    assert is_deleted(response.cookies[REFRESH])

    response = browser.get("/auth/users/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.jwt_blacklist
@pytest.mark.skipif(
    BLACKLIST_APP not in django_settings.INSTALLED_APPS,
    reason="needs DJOSER_TEST_JWT_BLACKLIST=1 (runtests.py)",
)
def test_refresh_cookie_after_logout(browser, user, cookie_mode):
    cookie_mode()
    refresh = log_in(browser, user).cookies[REFRESH].value
    browser.post("/auth/jwt/logout/", format="json", **csrf_header(browser))

    response = APIClient().post("/auth/jwt/refresh/", {"refresh": refresh}, format="json")

    assert response.status_code == 401
    assert response.json() == {"detail": "Token is blacklisted", "code": "token_not_valid"}


# --- CSRF ---------------------------------------------------------------------------------


def test_unsafe_request_needs_csrf(browser, user, cookie_mode):
    cookie_mode()
    log_in(browser, user)

    response = set_password(browser)

    assert response.status_code == 403
    assert response.json() == CSRF_MISSING
    user.refresh_from_db()
    assert user.check_password(factories.PASSWORD)

    response = set_password(browser, HTTP_X_CSRFTOKEN="wrong-token-of-the-right-length-32")
    assert response.status_code == 403

    response = set_password(browser, **csrf_header(browser))
    assert response.status_code == 204
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_refresh_needs_csrf(browser, user, cookie_mode):
    cookie_mode()
    log_in(browser, user)

    response = browser.post("/auth/jwt/refresh/", format="json")

    assert response.status_code == 403
    assert response.json() == CSRF_MISSING
    assert ACCESS not in response.cookies


def test_logout_needs_csrf(browser, user, cookie_mode):
    cookie_mode()
    log_in(browser, user)

    response = browser.post("/auth/jwt/logout/", format="json")

    assert response.status_code == 403
    assert response.json() == CSRF_MISSING
    assert response.cookies == {}
    assert browser.get("/auth/users/me/").status_code == 200


def test_cookieless_logout_keeps_cookies(user, cookie_mode):
    """A cross-site form arrives without Lax cookies; its response must not drop them."""
    cookie_mode()
    refresh = log_in(APIClient(), user).cookies[REFRESH].value

    response = APIClient(enforce_csrf_checks=True).post(
        "/auth/jwt/logout/", {"refresh": refresh}, format="json"
    )

    assert response.status_code == 204
    assert response.cookies == {}


def test_header_needs_no_csrf(browser, user, cookie_mode):
    """A script on another site cannot set Authorization, so the header skips the CSRF check."""
    cookie_mode("cookie_and_body")
    access = log_in(APIClient(), user).json()["access"]

    response = set_password(browser, HTTP_AUTHORIZATION=f"Bearer {access}")

    assert response.status_code == 204


# --- Modes and settings ---------------------------------------------------------------------


def test_cookie_and_body_mode(browser, user, cookie_mode):
    cookie_mode("cookie_and_body")

    response = log_in(browser, user)

    assert response.json() == {"access": ANY, "refresh": ANY}
    assert response.cookies[ACCESS].value == response.json()["access"]
    assert response.cookies[REFRESH].value == response.json()["refresh"]

    response = browser.post("/auth/jwt/refresh/", format="json", **csrf_header(browser))
    assert response.json() == {"access": response.cookies[ACCESS].value}


def test_body_refresh_wins(browser, user, other_user, cookie_mode):
    cookie_mode("cookie_and_body")
    log_in(browser, user)
    other_refresh = log_in(APIClient(), other_user).json()["refresh"]

    response = browser.post(
        "/auth/jwt/refresh/", {"refresh": other_refresh}, format="json", **csrf_header(browser)
    )
    assert response.status_code == 200

    response = browser.get("/auth/users/me/")
    assert response.json() == factories.user_body(other_user)


def test_mode_off_uses_no_cookies(browser, user, settings, monkeypatch):
    use_authentication(monkeypatch, settings, "djoser.jwt_cookies.JWTCookieAuthentication")

    response = log_in(browser, user)

    assert response.json() == {"access": ANY, "refresh": ANY}
    assert response.cookies == {}
    browser.cookies[ACCESS] = response.json()["access"]
    browser.cookies[REFRESH] = response.json()["refresh"]
    # Cookies are neither set nor read while the mode is off.
    assert browser.get("/auth/users/me/").status_code == 401
    response = browser.post("/auth/jwt/refresh/", format="json")
    assert response.status_code == 400
    assert response.json() == {"refresh": ["This field is required."]}


@pytest.mark.parametrize(
    "extra, expected",
    [
        # plain http, as in the demo project
        ({"JWT_COOKIE_SECURE": False}, {"secure": ""}),
        ({"JWT_COOKIE_SAMESITE": "Strict"}, {"samesite": "Strict"}),
        ({"JWT_COOKIE_DOMAIN": "example.com"}, {"domain": "example.com"}),
        # the refresh cookie sent only to the JWT endpoints
        ({"JWT_REFRESH_COOKIE_PATH": "/auth/jwt/"}, {"refresh-path": "/auth/jwt/"}),
    ],
)
def test_cookie_settings(browser, user, cookie_mode, extra, expected):
    cookie_mode(**extra)

    response = log_in(browser, user)

    for attribute, value in expected.items():
        if attribute == "refresh-path":
            assert response.cookies[REFRESH]["path"] == value
            assert response.cookies[ACCESS]["path"] == "/"
        else:
            assert response.cookies[ACCESS][attribute] == value
            assert response.cookies[REFRESH][attribute] == value


def test_cookie_names(browser, user, cookie_mode):
    cookie_mode(JWT_ACCESS_COOKIE_NAME="a", JWT_REFRESH_COOKIE_NAME="r")

    response = log_in(browser, user)

    assert set(response.cookies) >= {"a", "r"}
    assert ACCESS not in response.cookies
    assert browser.get("/auth/users/me/").status_code == 200


def test_lifetime_follows_simple_jwt(browser, user, cookie_mode, settings):
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "ACCESS_TOKEN_LIFETIME": timedelta(minutes=1)}
    cookie_mode()

    response = log_in(browser, user)

    assert response.cookies[ACCESS]["max-age"] == 60


@pytest.mark.parametrize(
    "value",
    [
        "garbage",  # not a JWT
        "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl",  # a JWT with a wrong signature
    ],
)
def test_invalid_access_cookie(browser, user, cookie_mode, value):
    cookie_mode()
    browser.cookies[ACCESS] = value

    response = browser.get("/auth/users/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


@pytest.mark.parametrize(
    "extra, expected",
    [
        ({"JWT_COOKIE_MODE": "always"}, [(Error, "djoser.jwt.E001")]),  # unknown mode
        ({"JWT_COOKIE_SAMESITE": "lenient"}, [(Error, "djoser.jwt.E002")]),  # unknown SameSite
        # browsers reject SameSite=None without Secure
        ({"JWT_COOKIE_SAMESITE": "None", "JWT_COOKIE_SECURE": False}, [(Error, "djoser.jwt.E003")]),
        ({"JWT_COOKIE_SAMESITE": "None"}, []),  # with Secure
        ({"JWT_COOKIE_MODE": "cookie"}, []),  # the suite has CsrfViewMiddleware
    ],
)
def test_settings_check(settings, extra, expected):
    settings.DJOSER = {**settings.DJOSER, **extra}

    messages = check_jwt_settings(None)

    assert [(type(message), message.id) for message in messages] == expected


def test_check_needs_csrf_middleware(settings):
    settings.DJOSER = {**settings.DJOSER, "JWT_COOKIE_MODE": "cookie"}
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "django.middleware.csrf.CsrfViewMiddleware"
    ]

    messages = check_jwt_settings(None)

    assert [(type(message), message.id) for message in messages] == [(Warning, "djoser.jwt.W001")]
