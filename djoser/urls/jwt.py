"""JSON Web Token endpoints from SimpleJWT: create, refresh and verify."""

from django.urls import path

from djoser import jwt
from djoser.urls.slash import optional_slash

urlpatterns = optional_slash(
    [
        path("jwt/create/", jwt.TokenObtainPairView.as_view(), name="jwt-create"),
        path("jwt/refresh/", jwt.TokenRefreshView.as_view(), name="jwt-refresh"),
        path("jwt/verify/", jwt.TokenVerifyView.as_view(), name="jwt-verify"),
    ]
)
