"""URLs of the djoser demo project: every djoser URL module under ``/auth/``."""

from django.apps import apps
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("auth/", include("djoser.urls")),
    path("auth/", include("djoser.urls.authtoken")),
    path("auth/", include("djoser.urls.jwt")),
    path("auth/", include("djoser.authtoken.urls")),
    path("auth/", include("djoser.social.urls")),
]

if apps.is_installed("drf_spectacular"):
    from drf_spectacular.views import SpectacularAPIView

    urlpatterns.append(path("schema/", SpectacularAPIView.as_view(), name="schema"))
