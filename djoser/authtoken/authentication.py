"""DRF authentication with djoser's hashed auth tokens."""

from rest_framework import authentication, exceptions

from djoser.constants import get_message, message_code

# Keys are 43 characters; a longer header value is rejected before it is hashed.
MAX_KEY_LENGTH = 200


def authentication_error(name):
    """Return a 401 error with the message ``name``."""
    return exceptions.AuthenticationFailed(get_message(name), code=message_code(name))


class TokenAuthentication(authentication.TokenAuthentication):
    """Authenticate ``Authorization: Token <key>`` against the stored digests.

    ``request.auth`` is the ``AuthToken``, so logout can delete exactly that token. A
    valid request costs one query, plus one write per token and minute for "last used".
    """

    def get_model(self):
        # Imported here, as DRF does for its own token: DRF imports the authentication
        # classes while rest_framework.views loads, which may happen before the app
        # registry is ready.
        if self.model is not None:
            return self.model
        from djoser.authtoken.models import AuthToken

        return AuthToken

    def authenticate_credentials(self, key):
        from djoser.authtoken.models import hash_key

        if len(key) > MAX_KEY_LENGTH:
            raise authentication_error("AUTH_TOKEN_INVALID_ERROR")
        model = self.get_model()
        # The lookup is by digest, not by key: timing differences in the index lookup can
        # at most reveal digests, from which no key can be worked out.
        try:
            token = model.objects.select_related("user").get(digest=hash_key(key))
        except model.DoesNotExist:
            raise authentication_error("AUTH_TOKEN_INVALID_ERROR") from None

        if token.is_expired():
            raise authentication_error("AUTH_TOKEN_EXPIRED_ERROR")
        if not token.user.is_active:
            raise authentication_error("INACTIVE_ACCOUNT_ERROR")

        token.mark_used()
        return token.user, token
