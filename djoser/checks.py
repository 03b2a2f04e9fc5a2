"""System checks for djoser's settings."""

from django.apps import apps
from django.conf import settings as django_settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver

from djoser.conf import settings

# Front-end URL template -> (the setting that turns its feature on, or None when the
# feature is on whenever its endpoint is routed; the UserViewSet action that sends it).
URL_TEMPLATE_FEATURES = {
    "ACTIVATION_URL": ("SEND_ACTIVATION_EMAIL", "create"),
    "PASSWORD_RESET_CONFIRM_URL": (None, "reset_password"),
    "USERNAME_RESET_CONFIRM_URL": (None, "reset_username"),
}


def routed_actions(patterns=None):
    """Return the names of the ``UserViewSet`` actions that the project's URLs route."""
    from djoser.views import UserViewSet

    if patterns is None:
        patterns = get_resolver().url_patterns
    actions = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            actions |= routed_actions(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "cls", None)
            view_actions = getattr(pattern.callback, "actions", None) or {}
            if view_class is not None and issubclass(view_class, UserViewSet):
                actions.update(view_actions.values())
    return actions


@register(Tags.compatibility)
def check_unknown_settings(app_configs, **kwargs):
    """Warn about ``DJOSER`` keys that this version does not read."""
    return [
        Warning(
            f"DJOSER[{key!r}] is not a djoser setting and is ignored.",
            hint="Check the spelling, or remove it if it belongs to another djoser version.",
            id="djoser.W001",
        )
        for key in settings.unknown_keys()
    ]


@register(Tags.urls)
def check_url_templates(app_configs, **kwargs):
    """Warn about front-end URL templates that routed, enabled features need."""
    try:
        actions = routed_actions()
    except Exception:  # noqa: BLE001 - a broken URLconf is reported by Django's own checks.
        return []
    errors = []
    for url_setting, (feature_setting, action) in URL_TEMPLATE_FEATURES.items():
        enabled = feature_setting is None or getattr(settings, feature_setting)
        if enabled and action in actions and not getattr(settings, url_setting):
            errors.append(
                Warning(
                    f"DJOSER[{url_setting!r}] is not set, so the emails that need it are not sent.",
                    hint=f"Set it to a front-end path with {{uid}} and {{token}}, for example "
                    f"'#/{url_setting.lower()}/{{uid}}/{{token}}'.",
                    id="djoser.W002",
                )
            )
    return errors


@register(Tags.urls)
def check_email_domain(app_configs, **kwargs):
    """Warn when djoser's emails would be sent with no domain for their links."""
    try:
        actions = routed_actions()
    except Exception:  # noqa: BLE001 - a broken URLconf is reported by Django's own checks.
        return []
    has_domain = (
        settings.EMAIL_FRONTEND_DOMAIN
        or getattr(django_settings, "DOMAIN", "")
        or apps.is_installed("django.contrib.sites")
    )
    if actions and not has_domain:
        return [
            Warning(
                "djoser has no domain for the links in its emails.",
                hint="Set DJOSER['EMAIL_FRONTEND_DOMAIN'] or DOMAIN, or install "
                "django.contrib.sites. The request's Host header is never used.",
                id="djoser.W003",
            )
        ]
    return []


@register()
def check_user_fields(app_configs, **kwargs):
    """Check that ``LOGIN_FIELD`` and ``USER_ID_FIELD`` name usable fields of the user model."""
    from django.contrib.auth import get_user_model
    from django.core.checks import Error
    from django.core.exceptions import FieldDoesNotExist

    user_model = get_user_model()
    errors = []
    for key in ("LOGIN_FIELD", "USER_ID_FIELD"):
        name = getattr(settings, key)
        try:
            field = user_model._meta.get_field(name)
        except FieldDoesNotExist:
            errors.append(
                Error(
                    f"DJOSER[{key!r}] is {name!r}, which is not a field of "
                    f"{user_model._meta.label}.",
                    hint=f"Set it to a field name of {user_model._meta.label}.",
                    id="djoser.E001",
                )
            )
            continue
        if key == "USER_ID_FIELD" and not field.unique:
            # A lookup by a value two accounts share would fail on every request for them.
            errors.append(
                Error(
                    f"DJOSER['USER_ID_FIELD'] is {name!r}, which is not unique on "
                    f"{user_model._meta.label}.",
                    hint="Use the primary key or another field with unique=True.",
                    id="djoser.E002",
                )
            )
    return errors


@register()
def check_login_field_backend(app_configs, **kwargs):
    """Warn when ``LOGIN_FIELD`` needs ``LoginFieldBackend`` and no such back end is listed."""
    from django.contrib.auth import get_user_model
    from django.utils.module_loading import import_string

    from djoser.auth_backends import LoginFieldBackend

    if settings.LOGIN_FIELD == get_user_model().USERNAME_FIELD:
        return []
    for path in django_settings.AUTHENTICATION_BACKENDS:
        try:
            backend = import_string(path)
        except ImportError:
            continue  # Django reports back ends that fail to import when they are used.
        if isinstance(backend, type) and issubclass(backend, LoginFieldBackend):
            return []
    return [
        Warning(
            f"DJOSER['LOGIN_FIELD'] is {settings.LOGIN_FIELD!r}, but no back end in "
            "AUTHENTICATION_BACKENDS logs in with it, so every login fails.",
            hint="Add 'djoser.auth_backends.LoginFieldBackend' after "
            "'django.contrib.auth.backends.ModelBackend', or silence djoser.W004 if a "
            "back end of your own handles it.",
            id="djoser.W004",
        )
    ]


# Values that Django's HttpResponse.set_cookie() accepts for SameSite.
SAMESITE_VALUES = ("Lax", "Strict", "None")


@register(Tags.security)
def check_jwt_settings(app_configs, **kwargs):
    """Check the settings of JWTs in cookies."""
    from djoser.jwt_cookies import COOKIE_MODES

    errors = []
    mode = settings.JWT_COOKIE_MODE
    if mode not in COOKIE_MODES:
        errors.append(
            Error(
                f"DJOSER['JWT_COOKIE_MODE'] is {mode!r}; it must be one of {COOKIE_MODES!r}.",
                id="djoser.jwt.E001",
            )
        )
    samesite = settings.JWT_COOKIE_SAMESITE
    if samesite is not None and samesite not in SAMESITE_VALUES:
        errors.append(
            Error(
                f"DJOSER['JWT_COOKIE_SAMESITE'] is {samesite!r}; it must be one of "
                f"{SAMESITE_VALUES!r} or None.",
                id="djoser.jwt.E002",
            )
        )
    if samesite == "None" and not settings.JWT_COOKIE_SECURE:
        errors.append(
            Error(
                "DJOSER['JWT_COOKIE_SAMESITE'] is 'None' while JWT_COOKIE_SECURE is False; "
                "browsers reject such cookies.",
                hint="Set JWT_COOKIE_SECURE to True and serve the site over HTTPS.",
                id="djoser.jwt.E003",
            )
        )
    csrf_middleware = "django.middleware.csrf.CsrfViewMiddleware"
    if mode in ("cookie", "cookie_and_body") and csrf_middleware not in django_settings.MIDDLEWARE:
        errors.append(
            Warning(
                "JWT cookies are on but CsrfViewMiddleware is not in MIDDLEWARE, so JWT create "
                "sets no CSRF cookie and every unsafe request that a cookie authenticates "
                "is rejected.",
                hint=f"Add {csrf_middleware!r} to MIDDLEWARE.",
                id="djoser.jwt.W001",
            )
        )
    return errors


@register(Tags.security)
def check_throttling(app_configs, **kwargs):
    """Check the throttle rates, and warn when clients choose their own address."""
    from rest_framework.settings import api_settings

    from djoser.throttling import parse_rate

    errors = []
    for scope, rate in settings.THROTTLE_RATES.items():
        try:
            parse_rate(rate, scope)
        except ImproperlyConfigured as exc:
            errors.append(Error(str(exc), id="djoser.throttling.E001"))
    if settings.THROTTLING and api_settings.NUM_PROXIES is None:
        errors.append(
            Warning(
                "REST_FRAMEWORK['NUM_PROXIES'] is not set, so djoser's throttles take the "
                "client address from the X-Forwarded-For header as sent. A client can send "
                "a new value with each request and escape every per-address limit.",
                hint="Set NUM_PROXIES to the number of reverse proxies in front of Django, "
                "or to 0 when there is none.",
                id="djoser.throttling.W001",
            )
        )
    return errors
