"""The djoser application configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DjoserConfig(AppConfig):
    name = "djoser"
    verbose_name = _("djoser")

    def ready(self):
        # Registers the system checks.
        from djoser import checks  # noqa: F401
