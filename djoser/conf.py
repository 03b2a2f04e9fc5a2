"""The ``DJOSER`` settings object: defaults, merging, lazy imports and reloading."""

from datetime import timedelta

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

SETTINGS_NAME = "DJOSER"

# Marks a default that depends on the user model, which cannot be read at import time.
FROM_USER_MODEL = object()

# Marks a settings object that has not read Django's ``DJOSER`` setting since its last reload.
UNREAD = object()

DEFAULTS = {
    # Login and ids.
    "LOGIN_FIELD": FROM_USER_MODEL,
    "USER_ID_FIELD": FROM_USER_MODEL,
    "HIDE_USERS": True,
    "TOKEN_MODEL": "rest_framework.authtoken.models.Token",
    "CREATE_SESSION_ON_LOGIN": False,
    "LOGOUT_ON_PASSWORD_CHANGE": False,
    # Expiry of the hashed tokens of djoser.authtoken (timedelta, or None for no limit): a
    # token ends once unused for TOKEN_IDLE_TIMEOUT, and TOKEN_LIFETIME after its login.
    "TOKEN_IDLE_TIMEOUT": timedelta(days=14),
    "TOKEN_LIFETIME": timedelta(days=90),
    # JWTs in HttpOnly cookies: JWT_COOKIE_MODE None (off), "cookie" (tokens in cookies
    # only) or "cookie_and_body" (in cookies and in the response body).
    "JWT_COOKIE_MODE": None,
    "JWT_ACCESS_COOKIE_NAME": "jwt_access_token",
    "JWT_REFRESH_COOKIE_NAME": "jwt_refresh_token",
    "JWT_ACCESS_COOKIE_PATH": "/",
    "JWT_REFRESH_COOKIE_PATH": "/",
    "JWT_COOKIE_DOMAIN": None,
    "JWT_COOKIE_SECURE": True,
    "JWT_COOKIE_SAMESITE": "Lax",
    # Emails and flows.
    "SEND_ACTIVATION_EMAIL": False,
    "SEND_CONFIRMATION_EMAIL": False,
    "PASSWORD_CHANGED_EMAIL_CONFIRMATION": False,
    "USERNAME_CHANGED_EMAIL_CONFIRMATION": False,
    "ACTIVATION_URL": None,
    "PASSWORD_RESET_CONFIRM_URL": None,
    "USERNAME_RESET_CONFIRM_URL": None,
    "EMAIL_FRONTEND_DOMAIN": None,
    "EMAIL_FRONTEND_PROTOCOL": None,
    "EMAIL_FRONTEND_SITE_NAME": None,
    # Retype checks.
    "USER_CREATE_PASSWORD_RETYPE": False,
    "SET_PASSWORD_RETYPE": False,
    "PASSWORD_RESET_CONFIRM_RETYPE": False,
    "SET_USERNAME_RETYPE": False,
    "USERNAME_RESET_CONFIRM_RETYPE": False,
    # Account enumeration.
    "PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND": False,
    "USERNAME_RESET_SHOW_EMAIL_NOT_FOUND": False,
    # Registration with a taken email address returns 201 as if it had worked, creates
    # nothing, and emails the address's owner a notice.
    "REGISTRATION_HIDE_TAKEN_EMAIL": False,
    # Kept for 1.x settings files: the user model's get_email_field_name() decides.
    "USER_EMAIL_FIELD_NAME": "email",
    "SERIALIZERS": {
        "activation": "djoser.serializers.ActivationSerializer",
        "password_reset": "djoser.serializers.SendEmailResetSerializer",
        "password_reset_confirm": "djoser.serializers.PasswordResetConfirmSerializer",
        "password_reset_confirm_retype": (
            "djoser.serializers.PasswordResetConfirmRetypeSerializer"
        ),
        "set_password": "djoser.serializers.SetPasswordSerializer",
        "set_password_retype": "djoser.serializers.SetPasswordRetypeSerializer",
        "set_username": "djoser.serializers.SetUsernameSerializer",
        "set_username_retype": "djoser.serializers.SetUsernameRetypeSerializer",
        "username_reset": "djoser.serializers.SendEmailResetSerializer",
        "username_reset_confirm": "djoser.serializers.UsernameResetConfirmSerializer",
        "username_reset_confirm_retype": (
            "djoser.serializers.UsernameResetConfirmRetypeSerializer"
        ),
        "user_create": "djoser.serializers.UserCreateSerializer",
        "user_create_password_retype": (
            "djoser.serializers.UserCreatePasswordRetypeSerializer"
        ),
        "user_delete": "djoser.serializers.UserDeleteSerializer",
        "user": "djoser.serializers.UserSerializer",
        "current_user": "djoser.serializers.CurrentUserSerializer",
        "token": "djoser.serializers.TokenSerializer",
        "token_create": "djoser.serializers.TokenCreateSerializer",
        "provider_auth": "djoser.social.serializers.ProviderAuthSerializer",
    },
    "EMAIL": {
        "activation": "djoser.email.ActivationEmail",
        "confirmation": "djoser.email.ConfirmationEmail",
        "password_reset": "djoser.email.PasswordResetEmail",
        "password_changed_confirmation": "djoser.email.PasswordChangedConfirmationEmail",
        "username_changed_confirmation": "djoser.email.UsernameChangedConfirmationEmail",
        "username_reset": "djoser.email.UsernameResetEmail",
        "account_exists": "djoser.email.AccountExistsEmail",
    },
    "PERMISSIONS": {
        "activation": ["rest_framework.permissions.AllowAny"],
        "password_reset": ["rest_framework.permissions.AllowAny"],
        "password_reset_confirm": ["rest_framework.permissions.AllowAny"],
        "set_password": ["djoser.permissions.CurrentUserOrAdmin"],
        "username_reset": ["rest_framework.permissions.AllowAny"],
        "username_reset_confirm": ["rest_framework.permissions.AllowAny"],
        "set_username": ["djoser.permissions.CurrentUserOrAdmin"],
        "user_create": ["rest_framework.permissions.AllowAny"],
        "user_delete": ["djoser.permissions.CurrentUserOrAdmin"],
        "user": ["djoser.permissions.CurrentUserOrAdmin"],
        "user_list": ["djoser.permissions.CurrentUserOrAdmin"],
        "token_create": ["rest_framework.permissions.AllowAny"],
        "token_destroy": ["rest_framework.permissions.IsAuthenticated"],
    },
    "CONSTANTS": {
        "messages": "djoser.constants.Messages",
    },
    # Social login.
    "SOCIAL_AUTH_TOKEN_STRATEGY": "djoser.social.token.jwt.TokenStrategy",
    "SOCIAL_AUTH_ALLOWED_REDIRECT_URIS": [],
    # Rate limits (see djoser.throttling); THROTTLING = False switches them all off.
    "THROTTLING": True,
    "THROTTLE_RATES": {
        # Failed logins for one account from one address, and from one address overall.
        "login_account_address": "10/15m",
        "login_address": "100/h",
        # Registrations from one address.
        "registration": "50/h",
        # Reset password, reset username and resend activation: per target email, and per
        # address across all emails.
        "email_target": "5/h",
        "email_address": "50/h",
        # Activation and the reset confirm endpoints, per address.
        "confirmation": "100/h",
    },
    # djoser 2.x's experimental passkey app: accepted and ignored.
    "WEBAUTHN": {},
}

# Keys whose values are dicts merged over the defaults, so overriding one entry keeps the others.
MERGED_KEYS = ("SERIALIZERS", "EMAIL", "PERMISSIONS", "CONSTANTS", "THROTTLE_RATES")

# Keys holding one dotted path, imported when first read.
IMPORTED_KEYS = ("TOKEN_MODEL", "SOCIAL_AUTH_TOKEN_STRATEGY")


def _import(path, key):
    """Import ``path`` and name the settings key at fault when that fails."""
    try:
        return import_string(path)
    except (ImportError, RuntimeError) as exc:
        # Django raises RuntimeError when the path names a model of an app that is not in
        # INSTALLED_APPS, such as DRF's Token without "rest_framework.authtoken".
        raise ImproperlyConfigured(
            f"{SETTINGS_NAME}[{key}] is set to {path!r}, which could not be imported: {exc}"
        ) from exc


class ImportingDict(dict):
    """A settings dict whose entries are read as attributes and imported when first read.

    ``settings.SERIALIZERS.user`` returns the class that the dotted path names; a list of
    paths (as in ``PERMISSIONS``) returns a list of classes. The raw strings stay readable
    with ``settings.SERIALIZERS["user"]``.
    """

    def __init__(self, key, values):
        super().__init__(values)
        self._key = key
        self._imported = {}

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            value = self[name]
        except KeyError:
            raise AttributeError(
                f"{SETTINGS_NAME}[{self._key!r}] has no entry {name!r}"
            ) from None
        if name not in self._imported:
            self._imported[name] = self._import_value(name, value)
        return self._imported[name]

    def _import_value(self, name, value):
        where = f"{self._key!r}][{name!r}"
        if isinstance(value, str):
            return _import(value, where)
        if isinstance(value, (list, tuple)):
            return [_import(item, where) if isinstance(item, str) else item for item in value]
        return value


class Settings:
    """The merged ``DJOSER`` settings, read as attributes.

    Values are cached until Django's ``setting_changed`` signal names ``DJOSER`` (see
    ``reload_djoser_settings``), so a change through ``override_settings`` or pytest-django's
    ``settings`` fixture shows at once. A ``DJOSER`` object that was replaced or removed
    without the signal is noticed on the next read too; a dict changed in place is not.
    """

    def __init__(self):
        self._cache = {}
        self._user_settings = None
        self._source = UNREAD

    @property
    def user_settings(self):
        """The project's own ``DJOSER`` dict, unmerged."""
        self._reload_if_replaced()
        if self._user_settings is None:
            self._source = getattr(django_settings, SETTINGS_NAME, None)
            self._user_settings = dict(self._source or {})
        return self._user_settings

    def _reload_if_replaced(self):
        # pytest-django's "del settings.DJOSER" sends no setting_changed signal.
        if self._source is not UNREAD and getattr(django_settings, SETTINGS_NAME, None) is not self._source:
            self.reload()

    def unknown_keys(self):
        """Return the project's keys that this version of djoser does not read."""
        return sorted(set(self.user_settings) - set(DEFAULTS))

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"Invalid {SETTINGS_NAME} setting: {name!r}")
        self._reload_if_replaced()
        if name not in self._cache:
            self._cache[name] = self._resolve(name)
        return self._cache[name]

    def _resolve(self, name):
        default = DEFAULTS[name]
        value = self.user_settings.get(name, default)

        if name in MERGED_KEYS:
            return ImportingDict(name, {**default, **(value or {})})
        if value is FROM_USER_MODEL:
            return self._user_model_default(name)
        if name in IMPORTED_KEYS and isinstance(value, str):
            return _import(value, repr(name))
        return value

    def _user_model_default(self, name):
        from django.contrib.auth import get_user_model

        user_model = get_user_model()
        if name == "LOGIN_FIELD":
            return user_model.USERNAME_FIELD
        return user_model._meta.pk.name

    def reload(self):
        """Forget every cached value, so the next read sees the current settings."""
        self._cache.clear()
        self._user_settings = None
        self._source = UNREAD

    def get(self, name):
        """Return the setting ``name``; kept for code written against djoser 2.x."""
        return getattr(self, name)


settings = Settings()


def reload_djoser_settings(*, setting, value=None, **kwargs):
    """Reload djoser's settings when ``DJOSER`` or the user model changes.

    Connected to Django's ``setting_changed`` signal; host test suites may also call it.
    """
    if setting in (SETTINGS_NAME, "AUTH_USER_MODEL"):
        settings.reload()


setting_changed.connect(reload_djoser_settings)
