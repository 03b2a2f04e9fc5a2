"""User-facing messages, each with a stable code."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class Messages:
    """The messages djoser shows to users.

    A project replaces a text by subclassing this class, overriding attributes by name and
    pointing ``DJOSER["CONSTANTS"]["messages"]`` at the subclass. Each attribute's error code
    is its name in lower case without the ``_ERROR`` suffix (see ``message_code``).
    """

    INVALID_CREDENTIALS_ERROR = _("Unable to log in with provided credentials.")
    INACTIVE_ACCOUNT_ERROR = _("User account is disabled.")
    INVALID_TOKEN_ERROR = _("Invalid token for given user.")
    INVALID_UID_ERROR = _("Invalid user id or user doesn't exist.")
    STALE_TOKEN_ERROR = _("Stale token for given user.")
    PASSWORD_MISMATCH_ERROR = _("The two password fields didn't match.")
    USERNAME_MISMATCH_ERROR = _("The two {0} fields didn't match.")
    INVALID_PASSWORD_ERROR = _("Invalid password.")
    EMAIL_NOT_FOUND = _("User with given email does not exist.")
    CANNOT_CREATE_USER_ERROR = _("Unable to create account.")
    USERNAME_TAKEN_ERROR = _("A user with that {0} already exists.")
    ACTIVATION_DISABLED_ERROR = _("Account activation is not enabled.")
    INVALID_REDIRECT_URI_ERROR = _("This redirect URI is not allowed.")
    # Social login.
    PROVIDER_NOT_FOUND_ERROR = _("Social login provider \"{0}\" was not found.")
    INVALID_STATE_ERROR = _("Invalid state. Start the login again.")
    STATE_EXPIRED_ERROR = _("The state has expired. Start the login again.")
    STATE_ALREADY_USED_ERROR = _("This state has already been used. Start the login again.")
    INVALID_CODE_ERROR = _("The provider rejected this authorization code. Start the login again.")
    PROVIDER_UNAVAILABLE_ERROR = _("The provider could not be reached. Try again later.")
    INVALID_PROVIDER_RESPONSE_ERROR = _("The provider returned an invalid response.")
    SOCIAL_LOGIN_NOT_ALLOWED_ERROR = _("This provider account is not allowed to log in.")
    SOCIAL_LOGIN_FAILED_ERROR = _("Social login could not be completed.")
    AUTH_TOKEN_INVALID_ERROR = _("Invalid token.")
    AUTH_TOKEN_EXPIRED_ERROR = _("Token has expired.")


def message_code(name):
    """Return the stable error code of the message attribute ``name``."""
    code = name.lower()
    return code[: -len("_error")] if code.endswith("_error") else code


def get_message(name, *args):
    """Return the configured text of the message ``name``, formatted lazily with ``args``."""
    from djoser.conf import settings

    text = getattr(settings.CONSTANTS.messages, name)
    if args:
        return format_lazy(text, *args)
    return text
