"""URLs of the user viewset, with the 1.x paths and names as aliases.

Every path takes its trailing slash as optional and serves both forms directly: a redirect
would drop the body of a POST. The named pattern of each pair has the slash, so
``reverse()`` gives the canonical path.
"""

from django.contrib.auth import get_user_model
from rest_framework.routers import DefaultRouter

from djoser import views
from djoser.urls.slash import alias, optional_slash

User = get_user_model()
USERNAME_FIELD = User.USERNAME_FIELD


class UserRouter(DefaultRouter):
    """The router of ``UserViewSet``, without format suffix routes."""

    include_format_suffixes = False


router = UserRouter()
# The basename is fixed: DRF would derive it from the user model's name, and the URL names
# ("user-list", "user-me", ...) must not change with a custom user model.
router.register("users", views.UserViewSet, basename="user")

me_actions = {"get": "me", "put": "me", "patch": "me", "delete": "me"}

# The 1.x aliases come first: "users/create/" would otherwise be read as a user id.
legacy_urlpatterns = [
    alias("users/create/", views.UserViewSet, {"post": "create"}, "user-create"),
    alias("users/delete/", views.UserDeleteView, views.UserDeleteView.actions, "user-delete"),
    alias("users/confirm/", views.UserViewSet, {"post": "activation"}, "user-confirm"),
    alias("users/activate/", views.UserViewSet, {"post": "activation"}, "user-activate"),
    alias(
        "users/change_username/",
        views.UserViewSet,
        {"post": "set_username"},
        "user-change-username",
    ),
    alias("me/", views.UserViewSet, me_actions, "user"),
    alias("password/", views.UserViewSet, {"post": "set_password"}, "set_password"),
    alias("password/reset/", views.UserViewSet, {"post": "reset_password"}, "password_reset"),
    alias(
        "password/reset/confirm/",
        views.UserViewSet,
        {"post": "reset_password_confirm"},
        "password_reset_confirm",
    ),
    alias(f"{USERNAME_FIELD}/", views.UserViewSet, {"post": "set_username"}, "set_username"),
]

urlpatterns = optional_slash(legacy_urlpatterns + router.urls)
