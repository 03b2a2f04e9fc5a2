"""OpenAPI descriptions of djoser's views, as drf-spectacular extensions.

drf-spectacular is optional (``pip install djoser[schema]``). ``DjoserConfig.ready()``
imports this module only when drf-spectacular is importable, and importing it registers the
extensions below: a project gets djoser's endpoints documented by installing drf-spectacular
and setting its ``AutoSchema`` as ``DEFAULT_SCHEMA_CLASS``.

Request and response bodies come from the serializers that the views use at run time, read
from ``DJOSER["SERIALIZERS"]`` when the schema is generated, so a swapped serializer shows
in the schema. The 1.x alias paths and the copies of each path without its trailing slash
are built with ``schema=None`` (see ``djoser.urls.slash``), so schema generators skip them.
A project's own ``@extend_schema`` on a subclass of a djoser view takes precedence over
what is set here.
"""

from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
    OpenApiViewExtension,
)
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.settings import api_settings

from djoser.conf import settings


class ValidationErrorSerializer(serializers.Serializer):
    """DRF's validation error body: each field name, or the non-field errors key, with its messages."""


class ErrorDetailSerializer(serializers.Serializer):
    """DRF's body for authentication, permission and not-found errors."""

    detail = serializers.CharField(read_only=True)


class ValidationErrorSerializerExtension(OpenApiSerializerExtension):
    """Describe ``ValidationErrorSerializer`` as a map of field names to message lists."""

    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": ValidationErrorSerializer.__doc__,
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }


VALIDATION_ERROR = OpenApiResponse(ValidationErrorSerializer, description="Invalid input.")
NO_CONTENT = OpenApiResponse(description="Done. The response has no body.")


def detail_error(description):
    """Return a response with DRF's ``{"detail": ...}`` body, described by ``description``."""
    return OpenApiResponse(ErrorDetailSerializer, description=description)


class DjoserSchemaMixin:
    """Per-view OpenAPI details, mixed into the project's ``DEFAULT_SCHEMA_CLASS``.

    The tables are keyed by the view's action for viewsets, and by the lower-case HTTP
    method for other views: ``summaries`` (operation summaries), ``no_content`` (operations
    that return 204 without a body) and ``error_responses`` (status code -> response).
    Every operation that takes a request body also documents DRF's 400 body.
    """

    tags = ()
    summaries = {}
    no_content = ()
    error_responses = {}
    # Whether DELETE takes a request body, as deleting an account does (current_password).
    delete_has_body = False

    def operation_key(self):
        """Return the action of a viewset, or the lower-case method of another view."""
        return getattr(self.view, "action", None) or self.method.lower()

    def get_tags(self):
        return list(self.tags) or super().get_tags()

    def get_summary(self):
        return self.summaries.get(self.operation_key()) or super().get_summary()

    def get_description(self):
        # djoser's docstrings are written for Python developers, while the summaries are
        # written for API clients.
        return ""

    def is_no_content(self):
        return self.method == "DELETE" or self.operation_key() in self.no_content

    def get_response_serializers(self):
        if self.is_no_content():
            responses = {204: NO_CONTENT}
        else:
            responses = super().get_response_serializers()
            if not isinstance(responses, dict):
                responses = {201 if self._is_create_operation() else 200: responses}
        if self.has_request_body():
            responses[400] = VALIDATION_ERROR
        responses.update(self.error_responses.get(self.operation_key(), {}))
        return responses

    def has_request_body(self):
        methods = ("POST", "PUT", "PATCH", "DELETE") if self.delete_has_body else ("POST", "PUT", "PATCH")
        return self.method in methods and bool(self.get_request_serializer())

    def _get_request_body(self, direction="request"):
        if self.method != "DELETE" or not self.delete_has_body:
            return super()._get_request_body(direction)
        # drf-spectacular documents a request body only for POST, PUT and PATCH, so the
        # DELETE body is documented the way a POST body is.
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"


class UserViewSetSchema(DjoserSchemaMixin):
    tags = ("users",)
    delete_has_body = True
    summaries = {
        "list": "List users: only the requesting user unless staff or HIDE_USERS is off",
        "create": "Register a new user",
        "retrieve": "Show a user",
        "update": "Replace a user's editable fields",
        "partial_update": "Change some of a user's editable fields",
        "destroy": "Delete a user, confirmed with the requesting user's current password",
        "activation": "Activate an account with the uid and token from its activation email",
        "resend_activation": "Email a new activation link to an inactive account",
        "set_password": "Change the requesting user's password",
        "reset_password": "Email a password reset link",
        "reset_password_confirm": "Set a new password with the uid and token from a reset link",
        "set_username": "Change the requesting user's username",
        "reset_username": "Email a username reset link",
        "reset_username_confirm": "Set a new username with the uid and token from a reset link",
    }
    me_summaries = {
        "GET": "Show the requesting user",
        "PUT": "Replace the requesting user's editable fields",
        "PATCH": "Change some of the requesting user's editable fields",
        "DELETE": "Delete the requesting user, confirmed with their current password",
    }
    no_content = (
        "activation",
        "resend_activation",
        "set_password",
        "reset_password",
        "reset_password_confirm",
        "set_username",
        "reset_username",
        "reset_username_confirm",
    )
    error_responses = {
        "activation": {403: detail_error("The token is valid but the account is already active.")},
    }

    def get_summary(self):
        if self.operation_key() == "me":
            return self.me_summaries[self.method]
        return super().get_summary()


class TokenCreateViewSchema(DjoserSchemaMixin):
    tags = ("token",)
    summaries = {"post": "Log in: exchange credentials for an auth token"}

    def get_response_serializers(self):
        responses = super().get_response_serializers()
        responses[200] = settings.SERIALIZERS.token
        return responses


class TokenDestroyViewSchema(DjoserSchemaMixin):
    tags = ("token",)
    summaries = {"post": "Log out: delete the auth token of the request"}
    no_content = ("post",)

    def get_request_serializer(self):
        return None


class JWTViewSchema(DjoserSchemaMixin):
    tags = ("jwt",)
    error_responses = {
        "post": {401: detail_error("The credentials or the token are invalid or expired.")},
    }


class JWTCreateViewSchema(JWTViewSchema):
    summaries = {"post": "Create a JSON Web Token pair (access and refresh) from credentials"}


class JWTRefreshViewSchema(JWTViewSchema):
    summaries = {"post": "Exchange a refresh token for a new access token"}


class JWTVerifyViewSchema(JWTViewSchema):
    summaries = {"post": "Check that a token is valid; the response body is empty"}


class JWTLogoutViewSchema(JWTViewSchema):
    summaries = {"post": "Log out: blacklist a refresh token and delete the token cookies"}
    no_content = ("post",)


class JWTLogoutAllViewSchema(JWTViewSchema):
    summaries = {"post": "Log out everywhere: blacklist every refresh token of the requesting user"}
    no_content = ("post",)

    def get_request_serializer(self):
        return None


class AuthTokenListViewSchema(DjoserSchemaMixin):
    tags = ("token",)
    summaries = {"get": "List the requesting user's active auth tokens, newest first"}


class AuthTokenDetailViewSchema(DjoserSchemaMixin):
    tags = ("token",)
    summaries = {
        "get": "Show one of the requesting user's auth tokens",
        "delete": "End one of the requesting user's auth tokens",
    }


class LogoutAllViewSchema(DjoserSchemaMixin):
    tags = ("token",)
    summaries = {
        "post": "Log out everywhere: end every auth token, JWT refresh token and session of the requesting user"
    }
    no_content = ("post",)

    def get_request_serializer(self):
        return None


class SocialTokenPairSerializer(serializers.Serializer):
    """The body of the default social token strategy: a SimpleJWT pair and the user."""

    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)
    user = serializers.CharField(read_only=True, help_text="The user's string form.")


class ProviderAuthViewSchema(DjoserSchemaMixin):
    tags = ("social",)
    summaries = {
        "get": "Start a social login: get the provider's authorization URL for a redirect URI",
        "post": "Complete a social login with the code and state the provider sent back",
    }
    error_responses = {
        "get": {404: detail_error("No social login provider has this name.")},
        "post": {404: detail_error("No social login provider has this name.")},
    }

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "GET":
            parameters = [
                *parameters,
                OpenApiParameter(
                    "redirect_uri",
                    OpenApiTypes.URI,
                    OpenApiParameter.QUERY,
                    required=True,
                    description=(
                        "Where the provider sends the user back; one of "
                        "SOCIAL_AUTH_ALLOWED_REDIRECT_URIS."
                    ),
                ),
            ]
        return parameters

    def get_request_serializer(self):
        if self.method == "GET":
            return None
        return super().get_request_serializer()

    def get_response_serializers(self):
        responses = super().get_response_serializers()
        if self.method == "GET":
            # A GET carries redirect_uri in the query string, not in a body.
            responses[400] = VALIDATION_ERROR
        else:
            responses.pop(200, None)
            responses[201] = self.token_strategy_response()
        return responses

    def token_strategy_response(self):
        """Describe the body of ``DJOSER["SOCIAL_AUTH_TOKEN_STRATEGY"]``.

        A strategy may set ``response_serializer`` to a serializer class that describes its
        ``obtain(user)`` body; the default strategy's pair is known here.
        """
        from djoser.social.token.jwt import TokenStrategy

        strategy = settings.SOCIAL_AUTH_TOKEN_STRATEGY
        serializer = getattr(strategy, "response_serializer", None)
        if serializer is None and isinstance(strategy, type) and issubclass(strategy, TokenStrategy):
            serializer = SocialTokenPairSerializer
        if serializer is None:
            return OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="The body of DJOSER['SOCIAL_AUTH_TOKEN_STRATEGY'].obtain(user).",
            )
        return serializer


def build_schema(mixin):
    """Return an instance of ``mixin`` over the project's ``DEFAULT_SCHEMA_CLASS``."""
    base = api_settings.DEFAULT_SCHEMA_CLASS
    return type(f"{mixin.__name__}Schema", (mixin, base), {})()


class DjoserViewExtension(OpenApiViewExtension):
    """Give a djoser view, or a project's subclass of it, its schema mixin."""

    match_subclasses = True
    schema_mixin = None

    def view_replacement(self):
        schema = build_schema(self.schema_mixin)
        return type(self.target.__name__, (self.target,), {"schema": schema})


class UserViewSetExtension(DjoserViewExtension):
    target_class = "djoser.views.UserViewSet"
    schema_mixin = UserViewSetSchema


class TokenCreateViewExtension(DjoserViewExtension):
    target_class = "djoser.views.TokenCreateView"
    schema_mixin = TokenCreateViewSchema


class TokenDestroyViewExtension(DjoserViewExtension):
    target_class = "djoser.views.TokenDestroyView"
    schema_mixin = TokenDestroyViewSchema


class JWTCreateViewExtension(DjoserViewExtension):
    target_class = "djoser.jwt.TokenObtainPairView"
    schema_mixin = JWTCreateViewSchema


class JWTRefreshViewExtension(DjoserViewExtension):
    target_class = "djoser.jwt.TokenRefreshView"
    schema_mixin = JWTRefreshViewSchema


class JWTVerifyViewExtension(DjoserViewExtension):
    target_class = "djoser.jwt.TokenVerifyView"
    schema_mixin = JWTVerifyViewSchema


class JWTLogoutViewExtension(DjoserViewExtension):
    target_class = "djoser.jwt.TokenLogoutView"
    schema_mixin = JWTLogoutViewSchema


class JWTLogoutAllViewExtension(DjoserViewExtension):
    target_class = "djoser.jwt.TokenLogoutAllView"
    schema_mixin = JWTLogoutAllViewSchema


class ProviderAuthViewExtension(DjoserViewExtension):
    target_class = "djoser.social.views.ProviderAuthView"
    schema_mixin = ProviderAuthViewSchema


class AuthTokenListViewExtension(DjoserViewExtension):
    target_class = "djoser.authtoken.views.TokenListView"
    schema_mixin = AuthTokenListViewSchema
    # The hashed auth token app is optional.
    optional = True


class AuthTokenDetailViewExtension(DjoserViewExtension):
    target_class = "djoser.authtoken.views.TokenDetailView"
    schema_mixin = AuthTokenDetailViewSchema
    optional = True


class LogoutAllViewExtension(DjoserViewExtension):
    target_class = "djoser.authtoken.views.LogoutAllView"
    schema_mixin = LogoutAllViewSchema
    optional = True


class TokenObtainPairSerializerExtension(OpenApiSerializerExtension):
    """JWT create: ``LOGIN_FIELD`` and ``password`` in, ``access`` and ``refresh`` out.

    drf-spectacular's own extension for SimpleJWT names the user model's
    ``USERNAME_FIELD``, which is wrong when ``LOGIN_FIELD`` differs.
    """

    target_class = "djoser.jwt.TokenObtainPairSerializer"
    match_subclasses = True
    priority = 1

    def get_name(self, auto_schema, direction):
        return "TokenObtainPair"

    def map_serializer(self, auto_schema, direction):
        fields = {
            settings.LOGIN_FIELD: serializers.CharField(write_only=True),
            "password": serializers.CharField(write_only=True, style={"input_type": "password"}),
            "access": serializers.CharField(read_only=True),
            "refresh": serializers.CharField(read_only=True),
        }
        return auto_schema._map_serializer(inline_serializer("TokenObtainPair", fields), direction)


class JWTAuthenticationScheme(OpenApiAuthenticationExtension):
    """SimpleJWT's header authentication, with every accepted header prefix described.

    OpenAPI 3 gives a bearer scheme one prefix, so drf-spectacular's own extension warns
    when SimpleJWT's ``AUTH_HEADER_TYPES`` lists several (djoser 1.x documented ``JWT``;
    most clients send ``Bearer``), and that warning fails ``spectacular --fail-on-warn``.
    This scheme documents the first prefix and names the others in its description.
    """

    target_class = "rest_framework_simplejwt.authentication.JWTAuthentication"
    match_subclasses = True
    name = "jwtAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        from rest_framework_simplejwt.settings import api_settings as jwt_settings

        header_types = list(jwt_settings.AUTH_HEADER_TYPES)
        definition = build_bearer_security_scheme_object(
            header_name=jwt_settings.AUTH_HEADER_NAME,
            token_prefix=header_types[0],
            bearer_format="JWT",
        )
        if len(header_types) > 1:
            prefixes = ", ".join(header_types)
            definition["description"] = f"The access token after one of these prefixes: {prefixes}."
        return definition


class JWTCookieAuthenticationScheme(JWTAuthenticationScheme):
    """djoser's JWT authentication: the header as above, or the access token cookie."""

    target_class = "djoser.jwt.JWTCookieAuthentication"
    name = ["jwtAuth", "jwtCookieAuth"]
    priority = 2

    def get_security_requirement(self, auto_schema):
        # Either one authenticates a request.
        return [{name: []} for name in self.name]

    def get_security_definition(self, auto_schema):
        cookie = {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.JWT_ACCESS_COOKIE_NAME,
            "description": (
                "The access token cookie, read only while DJOSER['JWT_COOKIE_MODE'] is set; "
                "unsafe methods also need the CSRF token."
            ),
        }
        return [super().get_security_definition(auto_schema), cookie]
