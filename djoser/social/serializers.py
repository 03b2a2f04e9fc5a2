"""Serializers of the social login endpoint: start a login, then complete it."""

import logging
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from rest_framework import serializers
from rest_framework.settings import api_settings
from social_core.exceptions import AuthConfigurationError, SocialAuthBaseException

from djoser.conf import settings
from djoser.serializers import fail, field_error
from djoser.social import backends
from djoser.social.state import StateError, consume_state, verify_state

logger = logging.getLogger(__name__)

# Longer values are rejected before any work is done; real codes and states are far shorter.
CODE_MAX_LENGTH = 4096
STATE_MAX_LENGTH = 4096

# social-auth error code -> (djoser message, request field it is reported on). None stands
# for the whole request (NON_FIELD_ERRORS_KEY). Other codes get SOCIAL_LOGIN_FAILED_ERROR.
SOCIAL_AUTH_ERRORS = {
    # The provider refused the code: wrong, already used, or issued to another client.
    "authorization_code_rejected": ("INVALID_CODE_ERROR", "code"),
    "credential_rejected": ("INVALID_CODE_ERROR", "code"),
    "state_mismatch": ("INVALID_STATE_ERROR", "state"),
    "session_context_missing": ("INVALID_STATE_ERROR", "state"),
    # The provider could not be reached or asked to be retried later.
    "connection_failed": ("PROVIDER_UNAVAILABLE_ERROR", None),
    "timeout": ("PROVIDER_UNAVAILABLE_ERROR", None),
    "unavailable": ("PROVIDER_UNAVAILABLE_ERROR", None),
    "rate_limited": ("PROVIDER_UNAVAILABLE_ERROR", None),
    # The provider responded, but not with what OAuth2 or its API specifies.
    "malformed_response": ("INVALID_PROVIDER_RESPONSE_ERROR", None),
    "missing_claim": ("INVALID_PROVIDER_RESPONSE_ERROR", None),
    "invalid_claim": ("INVALID_PROVIDER_RESPONSE_ERROR", None),
    "invalid_signature": ("INVALID_PROVIDER_RESPONSE_ERROR", None),
    "http_error": ("INVALID_PROVIDER_RESPONSE_ERROR", None),
    # The pipeline's policy steps, such as SOCIAL_AUTH_WHITELISTED_DOMAINS.
    "authentication_disallowed": ("SOCIAL_LOGIN_NOT_ALLOWED_ERROR", None),
    "membership_required": ("SOCIAL_LOGIN_NOT_ALLOWED_ERROR", None),
    # A new account would clash with an existing one.
    "identity_in_use": ("CANNOT_CREATE_USER_ERROR", None),
    "email_in_use": ("CANNOT_CREATE_USER_ERROR", None),
    "username_in_use": ("CANNOT_CREATE_USER_ERROR", None),
}


@contextmanager
def social_auth_errors(backend):
    """Turn social-auth's exceptions into validation errors with djoser's messages."""
    try:
        yield
    except AuthConfigurationError as exc:
        # A missing key or a bad setting: the client cannot fix it, an operator must.
        logger.error("Social login with %s is misconfigured: %s (%s)", backend.name, exc, exc.code)
        fail(api_settings.NON_FIELD_ERRORS_KEY, "SOCIAL_LOGIN_FAILED_ERROR")
    except SocialAuthBaseException as exc:
        message, field = SOCIAL_AUTH_ERRORS.get(exc.code, ("SOCIAL_LOGIN_FAILED_ERROR", None))
        if message == "SOCIAL_LOGIN_FAILED_ERROR":
            logger.warning("Social login with %s failed: %s (%s)", backend.name, exc, exc.code)
        fail(field or api_settings.NON_FIELD_ERRORS_KEY, message)


class AuthorizationURLSerializer(serializers.Serializer):
    """Start a social login: an allowed ``redirect_uri`` in, the provider's URL out.

    Expects the backend in ``context["backend"]``.
    """

    redirect_uri = serializers.CharField(write_only=True, trim_whitespace=False)
    authorization_url = serializers.CharField(read_only=True)

    def validate_redirect_uri(self, value):
        # An exact match: a prefix or pattern would let a look-alike URL receive the code.
        if value not in settings.SOCIAL_AUTH_ALLOWED_REDIRECT_URIS:
            raise field_error("INVALID_REDIRECT_URI_ERROR")
        return value

    def validate(self, attrs):
        backend = self.context["backend"]
        with social_auth_errors(backend):
            attrs["authorization_url"] = backends.authorization_url(backend, attrs["redirect_uri"])
        return attrs


class ProviderAuthSerializer(serializers.Serializer):
    """Complete a social login: check the ``state``, exchange the ``code``, run the pipeline.

    A provider that returns the state only inside the redirect URI, as ``redirect_state``,
    gets that value sent as ``state``.

    Expects the backend in ``context["backend"]``. The validated data contains the ``user``,
    created by the pipeline on a first login and found again afterwards; an inactive user
    is rejected. Subclasses may override ``complete_login``.
    """

    code = serializers.CharField(write_only=True, max_length=CODE_MAX_LENGTH)
    state = serializers.CharField(write_only=True, max_length=STATE_MAX_LENGTH)

    def validate(self, attrs):
        backend = self.context["backend"]
        with social_auth_errors(backend):
            max_age = backend.get_state_lifetime()
        verified = self.use_state(attrs["state"], backend.name, max_age)

        try:
            with social_auth_errors(backend), transaction.atomic():
                # One transaction: a refused login leaves no new user or association behind.
                attrs["user"] = self.complete_login(backend, attrs["code"], verified)
        except IntegrityError:
            logger.exception("Social login with %s could not save the user", backend.name)
            fail(api_settings.NON_FIELD_ERRORS_KEY, "CANNOT_CREATE_USER_ERROR")
        return attrs

    def use_state(self, token, provider, max_age):
        """Return the verified ``state`` and mark it used; report any problem on ``state``.

        This runs only once every field is valid, so a request missing its code does not
        use up the state. A code that the provider then rejects does use it up.
        """
        try:
            verified = verify_state(token, provider, max_age)
            # Checked again, so removing a URI from the setting also stops logins under way.
            if verified.redirect_uri not in settings.SOCIAL_AUTH_ALLOWED_REDIRECT_URIS:
                raise StateError("INVALID_REDIRECT_URI_ERROR")
            consume_state(verified, max_age)
        except StateError as exc:
            fail("state", exc.message)
        return verified

    def complete_login(self, backend, code, verified_state):
        """Return the active user that the provider's ``code`` identifies."""
        user = backends.complete_login(backend, code, verified_state)
        if not isinstance(user, get_user_model()):
            # NOTE: a pipeline step that pauses the login (a partial pipeline, which returns
            # a redirect for a browser form) cannot be resumed through this endpoint.
            logger.warning(
                "The social-auth pipeline of %s returned %r instead of a user",
                backend.name,
                type(user).__name__,
            )
            fail(api_settings.NON_FIELD_ERRORS_KEY, "SOCIAL_LOGIN_FAILED_ERROR")
        if not user.is_active:
            fail(api_settings.NON_FIELD_ERRORS_KEY, "INACTIVE_ACCOUNT_ERROR")
        return user
