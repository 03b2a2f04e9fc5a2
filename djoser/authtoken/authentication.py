"""DRF authentication with djoser's hashed auth tokens."""

from rest_framework import authentication, exceptions

from djoser.authtoken.models import AuthToken, hash_key
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

    model = AuthToken

    def authenticate_credentials(self, key):
        if len(key) > MAX_KEY_LENGTH:
            raise authentication_error("AUTH_TOKEN_INVALID_ERROR")
        # The lookup is by digest, not by key: timing differences in the index lookup can
        # at most reveal digests, from which no key can be worked out.
        try:
            token = self.get_model().objects.select_related("user").get(digest=hash_key(key))
        except self.get_model().DoesNotExist:
            raise authentication_error("AUTH_TOKEN_INVALID_ERROR") from None

        if token.is_expired():
            raise authentication_error("AUTH_TOKEN_EXPIRED_ERROR")
        if not token.user.is_active:
            raise authentication_error("INACTIVE_ACCOUNT_ERROR")

        token.mark_used()
        return token.user, token
