"""An authentication back end for logging in with ``LOGIN_FIELD``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from djoser.conf import settings


class LoginFieldBackend(ModelBackend):
    """Authenticate with ``DJOSER["LOGIN_FIELD"]`` when it is not the ``USERNAME_FIELD``.

    The login value is matched ignoring case. When several accounts match (an email shared
    by accounts of the default ``User``), none is logged in. An unknown login still costs
    one password hash, so its timing matches a wrong password's.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user_model = get_user_model()
        login_field = settings.LOGIN_FIELD
        value = kwargs.get(login_field, username if login_field == user_model.USERNAME_FIELD else None)
        if value is None or password is None:
            return None
        matches = list(
            user_model._default_manager.filter(**{f"{login_field}__iexact": value})[:2]
        )
        if len(matches) != 1:
            # Hash anyway, so an unknown or ambiguous login costs what a wrong password does.
            user_model().set_password(password)
            return None
        user = matches[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
