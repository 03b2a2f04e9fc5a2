"""JWTs in HttpOnly cookies: the cookie helpers and ``JWTCookieAuthentication``.

Opt-in through ``DJOSER["JWT_COOKIE_MODE"]``. This module imports no DRF views, so that
``DEFAULT_AUTHENTICATION_CLASSES`` can name ``djoser.jwt_cookies.JWTCookieAuthentication``:
DRF imports the authentication classes while ``rest_framework.views`` itself is loading.
"""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured
from rest_framework.authentication import SessionAuthentication
from rest_framework_simplejwt import settings as jwt_settings
from rest_framework_simplejwt.authentication import JWTAuthentication

from djoser.conf import settings

# Values of DJOSER["JWT_COOKIE_MODE"]: off, tokens in cookies only, in cookies and body.
COOKIE_MODES = (None, "cookie", "cookie_and_body")


def cookie_mode():
    """Return ``DJOSER["JWT_COOKIE_MODE"]``; raise ImproperlyConfigured for an unknown mode."""
    mode = settings.JWT_COOKIE_MODE
    if mode not in COOKIE_MODES:
        raise ImproperlyConfigured(
            f"DJOSER['JWT_COOKIE_MODE'] is {mode!r}; it must be one of {COOKIE_MODES!r}."
        )
    return mode


def set_token_cookie(response, name, value, path, lifetime):
    """Set one token cookie: HttpOnly, so scripts cannot read it, expiring with the token."""
    response.set_cookie(
        name,
        value,
        max_age=int(lifetime.total_seconds()),
        path=path,
        domain=settings.JWT_COOKIE_DOMAIN,
        secure=settings.JWT_COOKIE_SECURE,
        httponly=True,
        samesite=settings.JWT_COOKIE_SAMESITE,
    )


def set_token_cookies(response, access=None, refresh=None):
    """Set the given tokens on ``response`` as cookies; a None token is left out."""
    # Read at each call: SimpleJWT replaces its settings object when SIMPLE_JWT changes.
    lifetimes = jwt_settings.api_settings
    if access is not None:
        set_token_cookie(
            response,
            settings.JWT_ACCESS_COOKIE_NAME,
            access,
            settings.JWT_ACCESS_COOKIE_PATH,
            lifetimes.ACCESS_TOKEN_LIFETIME,
        )
    if refresh is not None:
        set_token_cookie(
            response,
            settings.JWT_REFRESH_COOKIE_NAME,
            refresh,
            settings.JWT_REFRESH_COOKIE_PATH,
            lifetimes.REFRESH_TOKEN_LIFETIME,
        )


def has_token_cookie(request):
    """Return True when ``request`` carries the access or the refresh cookie."""
    names = (settings.JWT_ACCESS_COOKIE_NAME, settings.JWT_REFRESH_COOKIE_NAME)
    return any(request.COOKIES.get(name) for name in names)


def delete_token_cookies(response):
    """Tell the browser to drop both token cookies."""
    for name, path in (
        (settings.JWT_ACCESS_COOKIE_NAME, settings.JWT_ACCESS_COOKIE_PATH),
        (settings.JWT_REFRESH_COOKIE_NAME, settings.JWT_REFRESH_COOKIE_PATH),
    ):
        response.delete_cookie(
            name, path=path, domain=settings.JWT_COOKIE_DOMAIN, samesite=settings.JWT_COOKIE_SAMESITE
        )


def enforce_csrf(request):
    """Reject an unsafe request without a valid CSRF token, as DRF does for sessions.

    A browser sends cookies with requests that other sites start, so a request that a
    cookie authenticates must prove, through the CSRF token, that our front end sent it.
    """
    SessionAuthentication().enforce_csrf(request)


def refresh_request_data(request):
    """Return the request body, or ``{"refresh": <cookie>}`` when the body has no token.

    In cookie mode a request that carries a token cookie must pass the CSRF check, because
    its response replaces or drops those cookies. Without the check, another site could log
    the browser out or swap its tokens.
    """
    data = request.data
    if cookie_mode() is None:
        return data
    if has_token_cookie(request):
        enforce_csrf(request)
    refresh = request.COOKIES.get(settings.JWT_REFRESH_COOKIE_NAME)
    if not refresh or (isinstance(data, Mapping) and data.get("refresh")):
        return data
    return {"refresh": refresh}


class JWTCookieAuthentication(JWTAuthentication):
    """SimpleJWT's authentication, which also reads the access token from its cookie.

    The ``Authorization`` header wins when present. The cookie is read only while
    ``DJOSER["JWT_COOKIE_MODE"]`` is set, and a request it authenticates needs the CSRF
    token for unsafe methods.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None or cookie_mode() is None:
            return result
        raw_token = request.COOKIES.get(settings.JWT_ACCESS_COOKIE_NAME)
        if not raw_token:
            return None
        validated_token = self.get_validated_token(raw_token)
        user = self.get_user(validated_token)
        enforce_csrf(request)
        return user, validated_token
