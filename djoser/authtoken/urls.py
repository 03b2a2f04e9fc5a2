"""URLs of djoser's hashed auth token app: the token list, one token, logout-all.

Token login and logout stay in ``djoser.urls.authtoken``.
"""

from django.urls import path

from djoser.authtoken import views
from djoser.urls.slash import optional_slash

urlpatterns = optional_slash(
    [
        path("tokens/", views.TokenListView.as_view(), name="token-list"),
        path("tokens/<int:pk>/", views.TokenDetailView.as_view(), name="token-detail"),
        path("token/logout_all/", views.LogoutAllView.as_view(), name="logout-all"),
    ]
)
