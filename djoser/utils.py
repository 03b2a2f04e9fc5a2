"""Helpers for uids, logging users in and out, and 1.x-style action views."""

from django.apps import apps
from django.contrib.auth import get_user_model, login, logout, user_logged_in, user_logged_out
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework import status
from rest_framework.response import Response

from djoser.conf import settings


def encode_uid(pk):
    """Return the URL-safe base64 form of a primary key, as emailed links carry it."""
    return force_str(urlsafe_base64_encode(force_bytes(pk)))


def decode_uid(uid):
    """Return the primary key string encoded in ``uid``; raise ValueError if it is not base64."""
    try:
        return force_str(urlsafe_base64_decode(uid))
    except (TypeError, ValueError, UnicodeDecodeError) as exc:
        raise ValueError("uid is not URL-safe base64") from exc


def get_user_by_uid(uid, *, for_update=False):
    """Return the user whose primary key ``uid`` encodes, or None for any bad or unknown uid.

    ``for_update=True`` locks the row until the current transaction ends (SELECT ... FOR
    UPDATE), so two requests with the same link cannot both pass its check.
    """
    user_model = get_user_model()
    queryset = user_model._default_manager.all()
    if for_update:
        queryset = queryset.select_for_update()
    try:
        pk = user_model._meta.pk.to_python(decode_uid(uid))
        return queryset.get(pk=pk)
    except (
        ValueError,
        TypeError,
        OverflowError,
        DjangoValidationError,
        user_model.DoesNotExist,
    ):
        return None


def login_user(request, user):
    """Issue an auth token for ``user`` and, if configured, start a session.

    Return the token instance. ``user_logged_in`` is sent once: by Django's ``login()`` when
    a session is created, by this function otherwise.
    """
    token_model = settings.TOKEN_MODEL
    token = None
    if token_model is not None:
        token = create_token(token_model, user, request)
    if settings.CREATE_SESSION_ON_LOGIN:
        login(request, user)
    else:
        user_logged_in.send(sender=user.__class__, request=request, user=user)
    return token


def create_token(token_model, user, request):
    """Return a token of ``token_model`` for ``user``.

    A model may define ``djoser_create_token(user, request)`` to create its tokens; DRF's
    ``Token`` keeps one token per user, found or created here.
    """
    create = getattr(token_model, "djoser_create_token", None)
    if create is not None:
        return create(user, request)
    if is_knox_token_model(token_model):
        # knox stores only a digest; its manager returns the plain key once, beside the
        # instance, and token login reads it from ``key``.
        token, key = token_model.objects.create(user=user)
        token.key = key
        return token
    token, _created = token_model.objects.get_or_create(user=user)
    return token


def is_knox_token_model(token_model):
    """Return True for django-rest-knox's token model (or a swapped-in subclass)."""
    if not apps.is_installed("knox"):
        return False
    from knox.models import AbstractAuthToken

    return issubclass(token_model, AbstractAuthToken)


def logout_user(request, *, delete_tokens=True):
    """End the request's token and session; send ``user_logged_out`` once.

    ``delete_tokens=False`` leaves the tokens alone, for a caller that deletes the user
    and with it, through the foreign key's cascade, every token of that user.
    """
    user = request.user
    token_model = settings.TOKEN_MODEL
    if token_model is not None and delete_tokens:
        revoke = getattr(token_model, "djoser_logout", None)
        if revoke is not None:
            revoke(request)
        elif is_knox_token_model(token_model):
            # A knox token belongs to one login, so only the request's own token ends.
            if isinstance(request.auth, token_model):
                request.auth.delete()
        else:
            token_model.objects.filter(user=user).delete()
    if settings.CREATE_SESSION_ON_LOGIN:
        logout(request)
    else:
        user_logged_out.send(sender=user.__class__, request=request, user=user)


def revoke_user_tokens(user):
    """End every login of ``user`` that a token stands for.

    That covers the tokens of ``TOKEN_MODEL`` (through its ``djoser_logout_all(user)`` hook
    where it has one, as djoser's hashed tokens do, else by deleting the user's rows, as
    for DRF's ``Token`` and knox) and SimpleJWT refresh tokens when its blacklist app is
    installed. Access JWTs stay valid until they expire. Sessions are not ended here:
    Django ends them when the password changes, and rejects them for inactive accounts.
    """
    from djoser.jwt import blacklist_user_tokens

    token_model = settings.TOKEN_MODEL
    if token_model is not None:
        revoke_all = getattr(token_model, "djoser_logout_all", None)
        if revoke_all is not None:
            revoke_all(user)
        else:
            token_model.objects.filter(user=user).delete()
    blacklist_user_tokens(user)


class ActionViewMixin:
    """A view that validates a POST body and then calls ``self._action(serializer)``."""

    def post(self, request, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._action(serializer)

    def _action(self, serializer):
        return Response(status=status.HTTP_204_NO_CONTENT)
