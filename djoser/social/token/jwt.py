"""The default token strategy: a SimpleJWT token pair for the user who logged in."""

from django.contrib.auth.models import update_last_login
from rest_framework_simplejwt import settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken


class TokenStrategy:
    """Issue a SimpleJWT refresh and access token pair.

    ``DJOSER["SOCIAL_AUTH_TOKEN_STRATEGY"]`` names the strategy class; another strategy is
    any class with an ``obtain(user)`` classmethod that returns the response body.
    """

    @classmethod
    def obtain(cls, user):
        """Return ``{"access", "refresh", "user"}`` for ``user``; ``user`` is ``str(user)``."""
        refresh = RefreshToken.for_user(user)
        # SimpleJWT's own login view updates last_login only when this setting is on. Its
        # settings object is replaced when SIMPLE_JWT changes, so it is read from the module.
        if jwt_settings.api_settings.UPDATE_LAST_LOGIN:
            update_last_login(None, user)
        return {
            "access": str(refresh.access_token),
            "refresh": str(refresh),
            "user": str(user),
        }
