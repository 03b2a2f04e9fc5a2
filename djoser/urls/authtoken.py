"""Token login and logout, with the 1.x paths and names as aliases."""

from django.urls import path

from djoser import views
from djoser.urls.slash import optional_slash

urlpatterns = optional_slash(
    [
        path("token/login/", views.TokenCreateView.as_view(), name="login"),
        path("token/logout/", views.TokenDestroyView.as_view(), name="logout"),
        # The 1.x paths, left out of API schemas: "token/login/" and "token/logout/"
        # document the same operations.
        path("token/create/", views.TokenCreateView.as_view(schema=None), name="token-create"),
        path("token/destroy/", views.TokenDestroyView.as_view(schema=None), name="token-destroy"),
    ]
)
