"""The user endpoints; ``djoser.urls.authtoken`` and ``djoser.urls.jwt`` add login."""

from djoser.urls.base import router, urlpatterns  # noqa: F401
