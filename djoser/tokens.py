"""Token generators for emailed links, one per purpose so no link works for another.

Password reset links use Django's ``default_token_generator``. The generators below use
their own salts, so an activation token never validates as a reset token and the reverse.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator

from djoser.compat import get_user_email


def last_login_value(user):
    """Return the user's last login as hashed into tokens, or "" for a model without one.

    It is cut to whole seconds and made naive, as in Django's own reset tokens, so the value
    read back from a database that stores no microseconds hashes the same.
    """
    last_login = getattr(user, "last_login", None)
    if last_login is None:
        return ""
    return last_login.replace(microsecond=0, tzinfo=None)


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Make and check activation tokens.

    The hash leaves out ``is_active`` on purpose: a link used a second time must still
    validate, so the view can report it as stale rather than invalid. It includes the
    email address, so changing the address ends links sent to the old one, and the last
    login, so a link ends at the first login after activation. Without that, an account
    that an administrator later makes inactive could reactivate itself with its old link.
    Django's login backends reject inactive accounts, so a link stays valid until it is used.
    """

    key_salt = "djoser.tokens.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return (
            f"{user.pk}{user.password}{last_login_value(user)}"
            f"{get_user_email(user) or ''}{timestamp}"
        )


class UsernameResetTokenGenerator(PasswordResetTokenGenerator):
    """Make and check username reset tokens; a token ends once the username changes."""

    key_salt = "djoser.tokens.UsernameResetTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return (
            f"{user.pk}{user.password}{user.get_username()}{last_login_value(user)}"
            f"{get_user_email(user) or ''}{timestamp}"
        )


activation_token_generator = ActivationTokenGenerator()
username_reset_token_generator = UsernameResetTokenGenerator()
