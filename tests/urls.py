"""URLs of the test suite: every djoser URL module under ``/auth/``."""

from django.urls import include, path

urlpatterns = [
    path("auth/", include("djoser.urls")),
    path("auth/", include("djoser.urls.authtoken")),
    path("auth/", include("djoser.urls.jwt")),
    path("auth/", include("djoser.social.urls")),
    path("auth/", include("djoser.authtoken.urls")),
    path("legacy/", include("tests.apps.legacy_urls.urls")),
]
