"""SimpleJWT views and serializers adapted to djoser: ``LOGIN_FIELD``, logout, cookies.

JWT logout blacklists refresh tokens through SimpleJWT's blacklist app
(``rest_framework_simplejwt.token_blacklist``). Access tokens cannot be revoked: each
stays valid until it expires (``SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]``).

With ``DJOSER["JWT_COOKIE_MODE"]`` set, JWT create and refresh also put the tokens in
HttpOnly cookies, and refresh and logout read the refresh cookie when the body has no
``refresh``. ``djoser.jwt_cookies.JWTCookieAuthentication`` reads the access cookie.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from rest_framework import exceptions, serializers, status, views
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt import views as jwt_views
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import PasswordField
from rest_framework_simplejwt.tokens import RefreshToken

from djoser import parsers, throttling, utils
from djoser.conf import settings
from djoser.jwt_cookies import (  # noqa: F401 - JWTCookieAuthentication is re-exported.
    JWTCookieAuthentication,
    cookie_mode,
    delete_token_cookies,
    has_token_cookie,
    refresh_request_data,
    set_token_cookies,
)
from djoser.serializers import PASSWORD_MAX_LENGTH

BLACKLIST_APP = "rest_framework_simplejwt.token_blacklist"

# Error reports hide these POST fields and every local variable of the view and its callees.
sensitive_post = method_decorator(
    [sensitive_variables(), sensitive_post_parameters("password", "refresh", "access", "token")],
    name="dispatch",
)


# Blacklisting refresh tokens.


def blacklist_installed():
    """Return True when SimpleJWT's blacklist app is installed."""
    return apps.is_installed(BLACKLIST_APP)


def blacklist_user_tokens(user):
    """Blacklist every unexpired refresh token issued to ``user``; return how many.

    SimpleJWT records a refresh token as outstanding when it issues it, but only while its
    blacklist app is installed. Without the app this does nothing and returns 0.
    """
    if not blacklist_installed():
        return 0
    from rest_framework_simplejwt.token_blacklist.models import (
        BlacklistedToken,
        OutstandingToken,
    )

    outstanding = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    entries = [BlacklistedToken(token=token) for token in outstanding]
    # A token blacklisted by a concurrent request is skipped, not an error.
    BlacklistedToken.objects.bulk_create(entries, ignore_conflicts=True)
    return len(entries)


# Serializers.


class TokenObtainPairSerializer(jwt_serializers.TokenObtainPairSerializer):
    """SimpleJWT's login serializer, taking ``LOGIN_FIELD`` instead of ``USERNAME_FIELD``."""

    @property
    def username_field(self):
        return settings.LOGIN_FIELD

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"] = PasswordField(max_length=PASSWORD_MAX_LENGTH)


class TokenLogoutSerializer(serializers.Serializer):
    """JWT logout: the ``refresh`` token to end."""

    refresh = serializers.CharField(write_only=True)

    def validate_refresh(self, value):
        # An invalid or blacklisted token raises TokenError, which the view turns into 401.
        return RefreshToken(value)


# Views.


class CookieTokenViewMixin(parsers.NestingLimitedParsersMixin):
    """A SimpleJWT view whose successful response carries the tokens per cookie mode."""

    def get_request_data(self, request):
        return request.data

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=self.get_request_data(request))
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        return self.token_response(request, serializer.validated_data)

    def token_response(self, request, tokens):
        """Return the 200 response for ``tokens``: in the body, in cookies, or both."""
        mode = cookie_mode()
        body = dict(tokens)
        if mode == "cookie":
            body.pop("access", None)
            body.pop("refresh", None)
        response = Response(body, status=status.HTTP_200_OK)
        if mode is not None:
            set_token_cookies(response, access=tokens.get("access"), refresh=tokens.get("refresh"))
        return response


@sensitive_post
class TokenObtainPairView(
    throttling.LoginThrottleMixin, CookieTokenViewMixin, jwt_views.TokenObtainPairView
):
    """JWT create: ``LOGIN_FIELD`` and ``password`` in, ``access`` and ``refresh`` out.

    In cookie mode the response also sets Django's CSRF cookie, whose value the front end
    sends back in the ``X-CSRFToken`` header of unsafe requests.

    NOTE: login itself is not CSRF-checked, as a browser has no CSRF cookie before it. In
    cookie mode another site can therefore log a browser into an account whose password
    that site has (login CSRF). Accepting only JSON bodies here makes that harder.
    """

    serializer_class = TokenObtainPairSerializer
    # Wrong credentials raise SimpleJWT's AuthenticationFailed (401) here. Like every other
    # failure, they count against the login throttle.

    def token_response(self, request, tokens):
        response = super().token_response(request, tokens)
        if cookie_mode() is not None:
            # Marks the CSRF cookie for CsrfViewMiddleware to set on this response.
            get_token(request)
        return response


@sensitive_post
class TokenRefreshView(CookieTokenViewMixin, jwt_views.TokenRefreshView):
    """JWT refresh: a ``refresh`` token (body, else cookie) in, a new ``access`` token out."""

    def get_request_data(self, request):
        return refresh_request_data(request)

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except get_user_model().DoesNotExist:
            # SimpleJWT 5.5 fetches the token's user with get(), so the token of a deleted
            # user would otherwise end in a 500.
            raise exceptions.AuthenticationFailed(
                jwt_serializers.TokenRefreshSerializer.default_error_messages["no_active_account"],
                code="no_active_account",
            ) from None


@sensitive_post
class TokenVerifyView(parsers.NestingLimitedParsersMixin, jwt_views.TokenVerifyView):
    """JWT verify: return 200 with ``{}`` for a valid token."""


@sensitive_post
class TokenLogoutView(parsers.NestingLimitedParsersMixin, jwt_views.TokenViewBase):
    """JWT logout: blacklist a ``refresh`` token (body, else cookie) and drop the cookies.

    Returns 204, or 401 for a token that is invalid, expired or already blacklisted. Without
    SimpleJWT's blacklist app the token cannot be ended: it stays valid until it expires,
    and only the cookies are dropped.
    """

    serializer_class = TokenLogoutSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=refresh_request_data(request))
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        if blacklist_installed():
            serializer.validated_data["refresh"].blacklist()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def finalize_response(self, request, response, *args, **kwargs):
        # The cookies go on success and on a 401 alike, since a token that fails is of no
        # use. They go only when the request carried them and so passed the CSRF check: a
        # cross-site request arrives without SameSite cookies and must not drop them.
        if (
            response.status_code in (204, 401)
            and cookie_mode() is not None
            and has_token_cookie(request)
        ):
            delete_token_cookies(response)
        return super().finalize_response(request, response, *args, **kwargs)


class TokenLogoutAllView(views.APIView):
    """JWT logout everywhere: blacklist every refresh token of the requesting user.

    This ends the user's other logins as well (see ``djoser.utils.revoke_user_tokens``)
    and drops the cookies of this one.
    """

    permission_classes = [IsAuthenticated]

    def post(self, request):
        utils.revoke_user_tokens(request.user)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        if cookie_mode() is not None and has_token_cookie(request):
            delete_token_cookies(response)
        return response
