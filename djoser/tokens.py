"""Token generators for emailed links, one per purpose so no link works for another.

Password reset links use Django's ``default_token_generator``. The generators below use
their own salts, so an activation token never validates as a reset token and the reverse.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator

from djoser.compat import get_user_email


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Make and check activation tokens.

    The hash leaves out ``is_active`` and ``last_login`` on purpose: a link used a second
    time must still validate, so the view can answer that it is stale rather than invalid.
    It includes the email address, so changing the address ends links sent to the old one.
    """

    key_salt = "djoser.tokens.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{get_user_email(user) or ''}{timestamp}"


class UsernameResetTokenGenerator(PasswordResetTokenGenerator):
    """Make and check username reset tokens; a token ends once the username changes."""

    key_salt = "djoser.tokens.UsernameResetTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        login_timestamp = (
            "" if user.last_login is None else user.last_login.replace(microsecond=0, tzinfo=None)
        )
        return (
            f"{user.pk}{user.password}{user.get_username()}{login_timestamp}"
            f"{get_user_email(user) or ''}{timestamp}"
        )


activation_token_generator = ActivationTokenGenerator()
username_reset_token_generator = UsernameResetTokenGenerator()
