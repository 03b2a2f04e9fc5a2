"""Signed OAuth2 ``state`` values that need no server session.

A single-page app on another origin usually does not send back the session cookie set when
the login starts, so the ``state`` cannot be checked against the session. Instead the
``state`` is signed with ``SECRET_KEY`` and carries the provider name, the redirect URI, a
random nonce and the time it was issued. When the login completes, the signature shows that
this server issued the value, the provider name and the age are checked, and the nonce is
recorded in Django's cache so that the value is accepted once only.
"""

import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache

# Keeps these signatures apart from every other value signed with SECRET_KEY.
STATE_SALT = "djoser.social.state"

NONCE_CACHE_PREFIX = "djoser:social:state-nonce:"


class StateError(Exception):
    """A ``state`` that cannot be accepted; ``message`` is the name of a djoser message."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class VerifiedState:
    """A ``state`` whose signature, provider and age have been checked."""

    token: str
    provider: str
    redirect_uri: str
    nonce: str


def state_payload(provider, redirect_uri):
    """Return the data a new ``state`` signs: provider, redirect URI and a fresh nonce."""
    return {
        "provider": provider,
        "redirect_uri": redirect_uri,
        "nonce": secrets.token_urlsafe(24),
    }


def issue_state(provider, redirect_uri):
    """Return a new signed, timestamped ``state`` for a login with ``provider``."""
    return signing.dumps(state_payload(provider, redirect_uri), salt=STATE_SALT, compress=True)


def verify_state(token, provider, max_age):
    """Return the ``VerifiedState`` of ``token``.

    Raise ``StateError`` when the signature is wrong, the state was issued for another
    provider, or it is older than ``max_age`` seconds. The nonce is not consumed here (see
    ``consume_state``).
    """
    try:
        payload = signing.loads(token, salt=STATE_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise StateError("STATE_EXPIRED_ERROR") from None
    except signing.BadSignature:
        raise StateError("INVALID_STATE_ERROR") from None

    fields = ("provider", "redirect_uri", "nonce")
    if not isinstance(payload, dict) or not all(isinstance(payload.get(f), str) for f in fields):
        raise StateError("INVALID_STATE_ERROR")
    if payload["provider"] != provider:
        raise StateError("INVALID_STATE_ERROR")
    return VerifiedState(token=token, **{field: payload[field] for field in fields})


def consume_state(state, max_age):
    """Mark the nonce of ``state`` as used; raise ``StateError`` if it was used before.

    ``cache.add`` stores the key only when it is absent, so of two requests racing with the
    same state only one succeeds. The key outlives the state's ``max_age``, after which the
    signature check rejects the state anyway.
    NOTE: the nonce is single-use only among processes that share the cache, so a project
    that runs several processes needs a shared cache (Redis, Memcached, the database) and
    not the default per-process ``LocMemCache``.
    """
    if not cache.add(NONCE_CACHE_PREFIX + state.nonce, True, timeout=max_age + 1):
        raise StateError("STATE_ALREADY_USED_ERROR")
