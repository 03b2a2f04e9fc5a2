"""An authentication back end for logging in with ``LOGIN_FIELD``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_variables

from djoser.conf import settings

# The maximum number of accounts whose password one login checks. Several accounts of the
# default User may share an email, and the limit keeps one request from costing more than
# this many password hashes.
MAX_ACCOUNTS_PER_LOGIN = 10


class LoginFieldBackend(ModelBackend):
    """Authenticate with ``DJOSER["LOGIN_FIELD"]`` when it is not the ``USERNAME_FIELD``.

    List it in ``AUTHENTICATION_BACKENDS`` after Django's ``ModelBackend``, which keeps
    handling logins by ``USERNAME_FIELD`` (the admin's, for one); this back end does nothing
    while the two fields are the same.

    The login value is matched ignoring case. When several accounts share it (an email on
    the default ``User``), the first of them, by primary key, whose password matches logs
    in. An unknown login still costs one password hash, so its timing matches a wrong
    password's.
    """

    # Error reports show no local variable of this method or its callees, the password and
    # its hashing among them.
    @method_decorator(sensitive_variables())
    def authenticate(self, request, username=None, password=None, **kwargs):
        user_model = get_user_model()
        login_field = settings.LOGIN_FIELD
        if login_field == user_model.USERNAME_FIELD:
            return None
        value = kwargs.get(login_field)
        if not isinstance(value, str) or not value or password is None:
            return None

        candidates = list(self.get_candidates(user_model, login_field, value))
        if not candidates:
            # Hash anyway, so an unknown login costs what a wrong password does.
            user_model().set_password(password)
            return None
        for user in candidates:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        return None

    def get_candidates(self, user_model, login_field, value):
        """Return the accounts whose ``login_field`` matches ``value``, ignoring case."""
        matches = user_model._default_manager.filter(**{f"{login_field}__iexact": value})
        return matches.order_by("pk")[:MAX_ACCOUNTS_PER_LOGIN]
