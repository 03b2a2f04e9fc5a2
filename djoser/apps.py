"""The djoser application configuration."""

import importlib.util

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DjoserConfig(AppConfig):
    name = "djoser"
    verbose_name = _("djoser")

    def ready(self):
        # Registers the system checks.
        from djoser import checks  # noqa: F401
        from djoser import receivers

        receivers.connect()

        if importlib.util.find_spec("drf_spectacular") is not None:
            # Registers the OpenAPI extensions; drf-spectacular is an optional dependency.
            from djoser import schema  # noqa: F401
