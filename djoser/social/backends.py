"""Load social-auth's OAuth2 backends with a ``state`` that needs no server session.

social-auth keeps the OAuth2 ``state`` and the PKCE code verifier in the session, which a
front end on another origin does not send back. The backend classes loaded here keep the
``state`` in a signed value instead (see ``djoser.social.state``) and derive the PKCE code
verifier from it with ``SECRET_KEY``, so nothing about a pending login is stored on the
server until the login completes.
"""

import functools
import logging

from django.utils.crypto import constant_time_compare, salted_hmac
from social_core.backends.oauth import BaseOAuth2
from social_core.backends.open_id_connect import OpenIdConnectAuth
from social_core.exceptions import AuthConfigurationError, AuthSessionError
from social_core.utils import module_member
from social_django.utils import load_strategy

from djoser.social import state

logger = logging.getLogger(__name__)

CODE_VERIFIER_SALT = "djoser.social.pkce-code-verifier"

# RFC 7636, section 4.1: a code verifier is 43 to 128 characters long.
CODE_VERIFIER_LENGTHS = range(43, 129)


class SignedStateMixin:
    """Keep an OAuth2 backend's ``state`` in a signed value and out of the session.

    ``verified_state`` is the ``state`` that the caller checked before completing the
    login; ``validate_state()`` accepts only that value.
    """

    verified_state = None

    def get_or_create_state(self):
        return state.issue_state(self.name, self.redirect_uri)

    def validate_state(self):
        request_state = self.get_request_state()
        verified = self.verified_state
        if (
            verified is None
            or not isinstance(request_state, str)
            or not constant_time_compare(request_state, verified.token)
        ):
            raise AuthSessionError(self, code="state_mismatch", stage="callback")
        return request_state

    def get_state_lifetime(self):
        """Return how many seconds a ``state`` stays valid (social-auth's ``STATE_LIFETIME``)."""
        lifetime = self.setting("STATE_LIFETIME", self.STATE_LIFETIME)
        if isinstance(lifetime, bool) or not isinstance(lifetime, int) or lifetime <= 0:
            raise AuthConfigurationError(
                self, parameter="STATE_LIFETIME", code="invalid_setting", stage="begin"
            )
        return lifetime

    def create_code_verifier(self, state=None):
        """Return the PKCE code verifier of ``state``, derived from it with ``SECRET_KEY``.

        The verifier is never stored: the same ``state`` gives the same verifier when the
        login completes. Only this server can compute it, which is what PKCE needs.
        """
        length = self.setting("PKCE_CODE_VERIFIER_LENGTH", self.PKCE_DEFAULT_CODE_VERIFIER_LENGTH)
        if length not in CODE_VERIFIER_LENGTHS:
            raise AuthConfigurationError(
                self, parameter="PKCE_CODE_VERIFIER_LENGTH", code="invalid_setting", stage="begin"
            )
        # A SHA-512 digest is 128 hexadecimal characters, enough for the longest verifier.
        digest = salted_hmac(CODE_VERIFIER_SALT, state, algorithm="sha512").hexdigest()
        return digest[:length]

    def get_code_verifier(self, state=None):
        return self.create_code_verifier(state)


@functools.cache
def is_supported(backend_class):
    """Return True for backends whose login this package can complete without a session.

    That is every OAuth2 authorization code backend with three exceptions. Association-only
    backends link a provider to the account already logged in. Backends that send no
    ``state`` cannot tie the returned code to a login this server started. OpenID Connect
    backends that send a nonce keep it in the session. The result is cached per class, so
    the warning below is logged once.
    """
    if not issubclass(backend_class, BaseOAuth2) or backend_class.ASSOCIATION_ONLY:
        return False
    if not (backend_class.STATE_PARAMETER or backend_class.REDIRECT_STATE):
        return False
    # NOTE: social-auth binds the OpenID Connect nonce to the session, so these backends
    # are not served yet. Setting USE_NONCE = False on a subclass makes one usable.
    if issubclass(backend_class, OpenIdConnectAuth) and backend_class.USE_NONCE:
        logger.warning(
            "The social-auth backend %s sends an OpenID Connect nonce, which djoser's social "
            "login does not support; its provider name answers 404.",
            backend_class.__name__,
        )
        return False
    return True


def configured_backend_class(strategy, provider):
    """Return the class of the configured backend named ``provider``, or None.

    The configured backends are read on each call rather than from social-auth's cache of
    backend classes, which keeps a class after it is removed from the settings.
    """
    for path in strategy.get_backends():
        backend_class = module_member(path)
        if getattr(backend_class, "name", None) == provider:
            return backend_class
    return None


@functools.cache
def signed_state_class(backend_class):
    """Return ``backend_class`` with ``SignedStateMixin`` in front of it.

    The subclass keeps the module and name of ``backend_class``, so the dotted path of a
    logged-in user's backend still names the class listed in ``AUTHENTICATION_BACKENDS``.
    """
    return type(
        backend_class.__name__,
        (SignedStateMixin, backend_class),
        {
            "__module__": backend_class.__module__,
            "__qualname__": backend_class.__qualname__,
            "__doc__": backend_class.__doc__,
        },
    )


def load_backend(request, provider):
    """Return a backend instance for ``provider`` bound to ``request``, or None.

    None means that no supported backend has that name. ``request`` is a Django
    ``HttpRequest``. The backend's ``redirect_uri`` is set by the caller once it is known.
    """
    strategy = load_strategy(request)
    backend_class = configured_backend_class(strategy, provider)
    if backend_class is None or not is_supported(backend_class):
        return None
    return signed_state_class(backend_class)(strategy)


def authorization_url(backend, redirect_uri):
    """Return the provider URL that starts a login returning to ``redirect_uri``."""
    backend.redirect_uri = redirect_uri
    return backend.auth_url()


def complete_login(backend, code, verified_state):
    """Exchange ``code`` with the provider and run the social-auth pipeline.

    Return what the pipeline returns: normally the user, but a partial pipeline step may
    return a response or nothing. ``verified_state`` has been checked and consumed.
    """
    backend.verified_state = verified_state
    backend.redirect_uri = verified_state.redirect_uri
    data = {"code": code, "state": verified_state.token}
    # The pipeline reads request data from the strategy, which reads only Django's POST,
    # not a JSON body parsed by DRF.
    with backend.strategy.pipeline_request_data(data):
        backend.data = backend.strategy.request_data()
        return backend.complete()
