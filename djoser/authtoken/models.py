"""The hashed auth token model: one row per login, storing only a digest of the key."""

import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings as django_settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from djoser.conf import settings

# Bytes of randomness in a key. A 256-bit random key cannot be guessed or brute-forced from
# its digest, so one fast SHA-256 protects it. A slow password hash would only add cost to
# every authenticated request.
KEY_BYTES = 32

CLIENT_NAME_MAX_LENGTH = 200

# "Last used" is written at most this often per token, so most authenticated requests read
# the token without writing it.
LAST_USED_UPDATE_INTERVAL = timedelta(minutes=1)


def generate_key():
    """Return a new random key, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(KEY_BYTES)


def hash_key(key):
    """Return the hex SHA-256 digest of ``key``, the value stored for it."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def expired_condition(now):
    """Return a ``Q`` matching tokens expired at ``now``, or None when tokens never expire."""
    conditions = []
    if settings.TOKEN_LIFETIME is not None:
        conditions.append(Q(created__lte=now - settings.TOKEN_LIFETIME))
    if settings.TOKEN_IDLE_TIMEOUT is not None:
        conditions.append(Q(last_used__lte=now - settings.TOKEN_IDLE_TIMEOUT))
    if not conditions:
        return None
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return condition


def client_name_from_request(request):
    """Return a label for the device that sends ``request``.

    The label is the body's ``client_name``, else the User-Agent header, cut to the length
    of the field.
    """
    data = getattr(request, "data", None)
    name = data.get("client_name") if isinstance(data, Mapping) else None
    if not isinstance(name, str) or not name.strip():
        name = request.META.get("HTTP_USER_AGENT", "")
    return name.strip()[:CLIENT_NAME_MAX_LENGTH]


class AuthTokenQuerySet(models.QuerySet):
    def expired(self, now=None):
        """Return the tokens that the expiry settings have ended at ``now``."""
        condition = expired_condition(now or timezone.now())
        return self.none() if condition is None else self.filter(condition)

    def active(self, now=None):
        """Return the tokens that still authenticate at ``now``."""
        condition = expired_condition(now or timezone.now())
        return self if condition is None else self.exclude(condition)


class AuthTokenManager(models.Manager.from_queryset(AuthTokenQuerySet)):
    def create_token(self, user, client_name=""):
        """Create a token for ``user`` and return it with its plain key in ``token.key``.

        ``key`` exists only on the returned instance: the database keeps its digest, so the
        key cannot be shown again.
        """
        key = generate_key()
        token = self.create(user=user, digest=hash_key(key), client_name=client_name)
        token.key = key
        return token


class AuthToken(models.Model):
    """An auth token of one login on one device."""

    user = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="djoser_auth_tokens",
        verbose_name=_("user"),
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    client_name = models.CharField(_("client name"), max_length=CLIENT_NAME_MAX_LENGTH, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used = models.DateTimeField(_("last used"), default=timezone.now, editable=False)

    objects = AuthTokenManager()

    class Meta:
        verbose_name = _("auth token")
        verbose_name_plural = _("auth tokens")
        ordering = ["-created"]

    def __str__(self):
        # Outside the f-string, so that makemessages extracts the message.
        client_name = self.client_name or _("unknown client")
        return f"{self.user} ({client_name})"

    def is_expired(self, now=None):
        """Return True when the expiry settings have ended this token at ``now``."""
        now = now or timezone.now()
        lifetime = settings.TOKEN_LIFETIME
        idle_timeout = settings.TOKEN_IDLE_TIMEOUT
        if lifetime is not None and now >= self.created + lifetime:
            return True
        return idle_timeout is not None and now >= self.last_used + idle_timeout

    def mark_used(self, now=None):
        """Record a use at ``now``; write it only when the stored time is a minute old."""
        now = now or timezone.now()
        if now - self.last_used >= LAST_USED_UPDATE_INTERVAL:
            type(self).objects.filter(pk=self.pk).update(last_used=now)
            self.last_used = now

    # Hooks that djoser's login and logout call when this model is DJOSER["TOKEN_MODEL"].

    @classmethod
    def djoser_create_token(cls, user, request):
        """Create a token for a new login of ``user`` from the device that sent ``request``."""
        return cls.objects.create_token(user, client_name=client_name_from_request(request))

    @classmethod
    def djoser_logout(cls, request):
        """Delete the token that authenticated ``request``; the user's other tokens stay."""
        if isinstance(request.auth, cls):
            request.auth.delete()

    @classmethod
    def djoser_logout_all(cls, user):
        """Delete every token of ``user``."""
        cls.objects.filter(user=user).delete()
