"""The social login view: start a login with a provider, then complete it."""

from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from djoser import parsers, throttling
from djoser.conf import settings
from djoser.constants import get_message
from djoser.social import backends
from djoser.social.serializers import AuthorizationURLSerializer


@method_decorator(
    [sensitive_variables(), sensitive_post_parameters("code", "state")], name="dispatch"
)
class ProviderAuthView(
    throttling.LoginThrottleMixin, parsers.NestingLimitedParsersMixin, generics.GenericAPIView
):
    """Social login with the provider named in the URL.

    GET with an allowed ``redirect_uri`` returns ``{"authorization_url": ...}``, where the
    front end sends the user. The provider sends the user back to ``redirect_uri`` with a
    ``code`` and a ``state``; POST them here to get what the token strategy
    (``DJOSER["SOCIAL_AUTH_TOKEN_STRATEGY"]``) issues. An unknown provider returns 404.

    A request that fails counts as a failed login from its client address, so one client
    cannot replay codes or states without limit.
    """

    permission_classes = [AllowAny]
    # This endpoint only logs users in; it never links a provider to the account already
    # logged in. So it reads no credentials, and a session cookie brings no CSRF check.
    authentication_classes = []
    authorization_serializer_class = AuthorizationURLSerializer

    def get_serializer_class(self):
        if self.request.method == "GET":
            return self.authorization_serializer_class
        return settings.SERIALIZERS.provider_auth

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["backend"] = getattr(self, "backend", None)
        return context

    def get_backend(self):
        """Return the social-auth backend of the provider in the URL; raise 404 if none."""
        provider = self.kwargs["provider"]
        backend = backends.load_backend(self.request._request, provider)
        if backend is None:
            raise NotFound(get_message("PROVIDER_NOT_FOUND_ERROR", provider))
        return backend

    def get(self, request, *args, **kwargs):
        self.backend = self.get_backend()
        serializer = self.get_serializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.data)

    def post(self, request, *args, **kwargs):
        self.backend = self.get_backend()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        body = self.obtain_tokens(serializer.validated_data["user"])
        return Response(body, status=status.HTTP_201_CREATED)

    def obtain_tokens(self, user):
        """Return the response body for ``user``; override to issue other credentials."""
        return settings.SOCIAL_AUTH_TOKEN_STRATEGY.obtain(user)
