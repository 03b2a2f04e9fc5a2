"""JSON Web Token endpoints: SimpleJWT's create, refresh and verify, and logout."""

from django.urls import path

from djoser import jwt
from djoser.urls.slash import optional_slash

urlpatterns = optional_slash(
    [
        path("jwt/create/", jwt.TokenObtainPairView.as_view(), name="jwt-create"),
        path("jwt/refresh/", jwt.TokenRefreshView.as_view(), name="jwt-refresh"),
        path("jwt/verify/", jwt.TokenVerifyView.as_view(), name="jwt-verify"),
        path("jwt/logout/", jwt.TokenLogoutView.as_view(), name="jwt-logout"),
        path("jwt/logout_all/", jwt.TokenLogoutAllView.as_view(), name="jwt-logout-all"),
    ]
)
