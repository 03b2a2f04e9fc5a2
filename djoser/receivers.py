"""Signal receivers that end an account's tokens when it is deactivated or deleted."""

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_save, pre_delete

from djoser import utils
from djoser.jwt import blacklist_user_tokens


def revoke_tokens_of_inactive_user(sender, instance, created, raw, update_fields, **kwargs):
    """End every token of a user saved as inactive, so reactivation brings none back.

    Django's and DRF's authentication already reject inactive users. Deleting the tokens
    as well means that an administrator who reactivates the account revives no earlier
    login. A save that leaves ``is_active`` out of ``update_fields`` is skipped.
    """
    if created or raw or getattr(instance, "is_active", True):
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    try:
        utils.revoke_user_tokens(instance)
    except ImproperlyConfigured:
        # TOKEN_MODEL names a model whose app is not installed, as in a JWT-only project
        # that kept the default: there are no such tokens, and saving the user must work.
        blacklist_user_tokens(instance)


def revoke_tokens_of_deleted_user(sender, instance, **kwargs):
    """Blacklist a deleted user's refresh tokens.

    Token rows go with the user through their foreign keys' cascade, but SimpleJWT keeps its
    outstanding refresh tokens (their user is set to NULL), so they are blacklisted first.
    """
    blacklist_user_tokens(instance)


def connect():
    """Connect the receivers to the user model named by ``AUTH_USER_MODEL``."""
    user_model = django_settings.AUTH_USER_MODEL
    post_save.connect(
        revoke_tokens_of_inactive_user,
        sender=user_model,
        dispatch_uid="djoser.revoke_tokens_of_inactive_user",
    )
    pre_delete.connect(
        revoke_tokens_of_deleted_user,
        sender=user_model,
        dispatch_uid="djoser.revoke_tokens_of_deleted_user",
    )
