"""System checks for the expiry settings of djoser's hashed auth tokens."""

from datetime import timedelta

from django.core.checks import Error, Tags, register

from djoser.conf import settings

EXPIRY_SETTINGS = ("TOKEN_IDLE_TIMEOUT", "TOKEN_LIFETIME")


@register(Tags.security)
def check_token_expiry(app_configs, **kwargs):
    """Reject expiry settings that are neither a positive ``timedelta`` nor None."""
    errors = []
    for name in EXPIRY_SETTINGS:
        value = getattr(settings, name)
        if value is None or (isinstance(value, timedelta) and value > timedelta(0)):
            continue
        errors.append(
            Error(
                f"DJOSER[{name!r}] is {value!r}; it must be a positive timedelta or None.",
                hint="For example timedelta(days=14); None means tokens never expire that way.",
                id="djoser.authtoken.E001",
            )
        )
    return errors
