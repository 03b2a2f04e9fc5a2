"""URLs of the benchmark: the demo project's.

An older djoser in a comparison may lack one of the URL modules that the demo includes.
In that case, every djoser URL module that exists is mounted under ``/auth/``.
"""

import importlib.util

from django.urls import include, path

DJOSER_URL_MODULES = (
    "djoser.urls",
    "djoser.urls.authtoken",
    "djoser.urls.jwt",
    "djoser.authtoken.urls",
    "djoser.social.urls",
)


def module_exists(dotted_path):
    try:
        return importlib.util.find_spec(dotted_path) is not None
    except ModuleNotFoundError:
        return False


try:
    from testproject.urls import urlpatterns
except ImportError:
    urlpatterns = [
        path("auth/", include(module)) for module in DJOSER_URL_MODULES if module_exists(module)
    ]
