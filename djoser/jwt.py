"""SimpleJWT views and serializers, adapted to djoser's ``LOGIN_FIELD``."""

from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt import views as jwt_views
from rest_framework_simplejwt.serializers import PasswordField

from djoser.conf import settings
from djoser.serializers import PASSWORD_MAX_LENGTH

sensitive_post = method_decorator(
    sensitive_post_parameters("password", "refresh", "access", "token"), name="dispatch"
)


class TokenObtainPairSerializer(jwt_serializers.TokenObtainPairSerializer):
    """SimpleJWT's login serializer, taking ``LOGIN_FIELD`` instead of ``USERNAME_FIELD``."""

    @property
    def username_field(self):
        return settings.LOGIN_FIELD

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"] = PasswordField(max_length=PASSWORD_MAX_LENGTH)


@sensitive_post
class TokenObtainPairView(jwt_views.TokenObtainPairView):
    """JWT create: ``LOGIN_FIELD`` and ``password`` in, ``access`` and ``refresh`` out."""

    serializer_class = TokenObtainPairSerializer


@sensitive_post
class TokenRefreshView(jwt_views.TokenRefreshView):
    """JWT refresh: a ``refresh`` token in, a new ``access`` token out."""


@sensitive_post
class TokenVerifyView(jwt_views.TokenVerifyView):
    """JWT verify: answers 200 with ``{}`` for a valid token."""
