"""Configuration of djoser's hashed auth token app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthTokenConfig(AppConfig):
    name = "djoser.authtoken"
    # "authtoken" is the label of DRF's token app, which a project may keep installed.
    label = "djoser_authtoken"
    verbose_name = _("Auth tokens")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the system checks of the expiry settings.
        from djoser.authtoken import checks  # noqa: F401
