"""Select DRF authentication classes for one test, as a project's settings would."""

from django.utils.module_loading import import_string
from rest_framework.views import APIView


def use_authentication(monkeypatch, settings, *paths):
    """Make every view that keeps DRF's default authenticate with the classes at ``paths``.

    DRF copies ``DEFAULT_AUTHENTICATION_CLASSES`` onto ``APIView`` when it is imported, so
    changing the setting alone reaches no view; the class attribute is replaced as well.
    """
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_AUTHENTICATION_CLASSES": paths}
    monkeypatch.setattr(APIView, "authentication_classes", [import_string(p) for p in paths])
