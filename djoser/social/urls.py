"""The social login endpoint, ``o/{provider}/``."""

from django.urls import path

from djoser.social import views
from djoser.urls.slash import optional_slash

urlpatterns = optional_slash(
    [
        path("o/<str:provider>/", views.ProviderAuthView.as_view(), name="provider-auth"),
    ]
)
