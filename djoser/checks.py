"""System checks for djoser's settings."""

from django.apps import apps
from django.conf import settings as django_settings
from django.core.checks import Tags, Warning, register
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
