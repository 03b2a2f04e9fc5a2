"""Rate limits for logins, registrations, emailed links and confirmations.

Counts live in Django's default cache, so several server processes that share Redis or
Memcached enforce one limit. Each limit is a fixed-window counter, increased with the cache's
atomic ``incr``. Rates are set in ``DJOSER["THROTTLE_RATES"]`` as ``"count/period"``, where
the period is a unit (``s``, ``m``, ``h``, ``d``, or ``sec``, ``min``, ``hour``, ``day``) with
an optional multiplier, as in ``"10/15m"``; None means no limit. ``DJOSER["THROTTLING"] =
False`` switches every limit off.

The client address is the one DRF's throttles use: ``REST_FRAMEWORK["NUM_PROXIES"]`` decides
how much of ``X-Forwarded-For`` is trusted.
"""

import hashlib
import math
import re
import time
import unicodedata

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework import status
from rest_framework.throttling import BaseThrottle

from djoser.conf import settings

UNIT_SECONDS = {
    **dict.fromkeys(("s", "sec", "second", "seconds"), 1),
    **dict.fromkeys(("m", "min", "minute", "minutes"), 60),
    **dict.fromkeys(("h", "hour", "hours"), 3600),
    **dict.fromkeys(("d", "day", "days"), 86400),
}
RATE_RE = re.compile(r"^\s*(?P<count>\d+)\s*/\s*(?P<multiplier>\d*)\s*(?P<unit>[a-z]+)\s*$")

CACHE_PREFIX = "djoser:throttle"

# The view attribute that lists the counters a successful login gives back.
REFUNDS_ATTRIBUTE = "djoser_throttle_refunds"


def parse_rate(rate, scope):
    """Return ``(count, seconds)`` for a rate such as ``"10/15m"``, or None for no limit.

    Raise ImproperlyConfigured, naming ``THROTTLE_RATES[scope]``, for any other value.
    """
    if rate is None:
        return None
    match = RATE_RE.match(rate) if isinstance(rate, str) else None
    unit_seconds = UNIT_SECONDS.get(match.group("unit")) if match else None
    multiplier = int(match.group("multiplier") or 1) if match else 0
    if unit_seconds is None or multiplier == 0:
        raise ImproperlyConfigured(
            f"DJOSER['THROTTLE_RATES'][{scope!r}] is {rate!r}, which is not a rate. Write it "
            "as 'count/period' with the unit s, m, h or d, for example '10/15m' or '100/h', "
            "or set it to None for no limit."
        )
    return int(match.group("count")), multiplier * unit_seconds


def digest(value):
    """Return a short digest of ``value``, so cache keys hold no email address or username."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def fold_identifier(value):
    """Return ``value`` with the differences that account lookups ignore removed.

    Case-insensitive lookups match "JOHN" and "john", and PostgreSQL's ``UPPER()`` also
    matches the dotless "ı" with "i". Folding through upper case merges all of those into
    one counter, so spelling variants of one account cannot each get a fresh limit.
    """
    return unicodedata.normalize("NFKC", value.strip()).upper().casefold()


class Limit:
    """One fixed-window counter: at most ``count`` events per ``seconds`` for one key."""

    def __init__(self, scope, ident, count, seconds, now):
        self.count = count
        window = int(now // seconds)
        remaining = (window + 1) * seconds - now
        # DRF writes Retry-After as whole seconds and leaves the header out for 0.
        self.retry_after = max(1, math.ceil(remaining))
        self.timeout = math.ceil(remaining) + 1
        self.key = f"{CACHE_PREFIX}:{scope}:{ident}:{window}"

    def is_reached(self):
        return cache.get(self.key, 0) >= self.count

    def increment(self):
        """Count one event and return the new count."""
        if cache.add(self.key, 1, timeout=self.timeout):
            return 1
        # Atomic in Redis and Memcached, so processes sharing the cache all count.
        # NOTE: Django's RedisCache checks that the key exists before its INCR. A key that
        # expires in between is created again without a timeout; it belongs to a window
        # that has ended, so no limit is wrong, but the key stays in Redis.
        try:
            return cache.incr(self.key)
        except ValueError:
            # The counter expired between add() and incr(): this event opens a new one.
            cache.add(self.key, 1, timeout=self.timeout)
            return 1

    def decrement(self):
        """Take back one event counted by ``increment``."""
        try:
            cache.decr(self.key)
        except ValueError:
            pass  # The window has ended, and its counter with it.


class DjoserThrottle(BaseThrottle):
    """A throttle with one or more limits, each keyed on parts of the request.

    Subclasses set ``scopes``: pairs of a ``THROTTLE_RATES`` key and the name of a method
    returning that limit's identity for the request (None skips the limit). A request is
    counted against every limit before the view runs, and is rejected if any limit is
    reached, so concurrent requests cannot slip past a limit between a check and a count.
    """

    scopes = ()

    def __init__(self):
        self.wait_seconds = None
        self.counted = []

    def get_limits(self, request, view):
        """Return the ``Limit`` objects that apply to ``request``."""
        if not settings.THROTTLING:
            return []
        now = time.time()
        limits = []
        for scope, ident_method in self.scopes:
            parsed = parse_rate(settings.THROTTLE_RATES.get(scope), scope)
            if parsed is None:
                continue
            ident = getattr(self, ident_method)(request, view)
            if ident is None:
                continue
            count, seconds = parsed
            limits.append(Limit(scope, ident, count, seconds, now))
        return limits

    def allow_request(self, request, view):
        limits = self.get_limits(request, view)
        for limit in limits:
            if limit.is_reached():
                return self.reject(limit)
        for limit in limits:
            self.counted.append(limit)
            if limit.increment() > limit.count:
                # Concurrent requests took the last places in the window meanwhile; a
                # rejected request is not counted.
                self.refund()
                return self.reject(limit)
        return True

    def reject(self, limit):
        self.wait_seconds = limit.retry_after
        return False

    def refund(self):
        """Take back the counts this throttle made for the current request."""
        for limit in self.counted:
            limit.decrement()
        self.counted = []

    def wait(self):
        return self.wait_seconds

    def client_address(self, request, view):
        """Return a digest of the client's address as DRF's throttles read it."""
        return digest(self.get_ident(request) or "")

    def target_email(self, request, view):
        """Return a digest of the email address in the request body, if it has one."""
        value = body_value(request, "email")
        if not value:
            return None
        return digest(fold_identifier(value))

    def account_and_address(self, request, view):
        """Return a digest of the login value and the client's address together."""
        value = body_value(request, settings.LOGIN_FIELD)
        if not value:
            return None
        return digest(f"{fold_identifier(value)}\0{self.get_ident(request) or ''}")


def body_value(request, name):
    """Return ``name`` from the request body as the serializers read it, or None.

    Numbers count too, because DRF's ``CharField`` accepts them as strings: a login sent
    as ``{"username": 123}`` must hit the same counter as ``{"username": "123"}``.
    """
    data = request.data
    if not hasattr(data, "get"):
        return None
    value = data.get(name)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    return value if isinstance(value, str) else None


class LoginFailureThrottle(DjoserThrottle):
    """Failed logins, per account and address together and per address.

    Every attempt is counted when it arrives, and a successful one is given back afterwards
    (see ``LoginThrottleMixin``), so only failures use up the limit while a burst of
    concurrent guesses cannot exceed it. Keying the account limit on the address as well
    means a stranger who guesses passwords for an account cannot lock its owner out from
    the owner's own address.
    """

    scopes = (
        ("login_account_address", "account_and_address"),
        ("login_address", "client_address"),
    )

    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        if allowed:
            view.__dict__.setdefault(REFUNDS_ATTRIBUTE, []).append(self)
        return allowed


class RegistrationThrottle(DjoserThrottle):
    """Registrations per address."""

    scopes = (("registration", "client_address"),)


class EmailLinkThrottle(DjoserThrottle):
    """Reset password, reset username and resend activation, per target email and address.

    NOTE: the per-email limit is shared by every client, so anyone can use it up for an
    address and delay that account's emails until the window ends.
    """

    scopes = (
        ("email_target", "target_email"),
        ("email_address", "client_address"),
    )


class ConfirmationThrottle(DjoserThrottle):
    """Activation and the reset confirm endpoints, per address."""

    scopes = (("confirmation", "client_address"),)


class LoginThrottleMixin:
    """A login view whose failed attempts are limited by ``LoginFailureThrottle``.

    Any response that is not a success counts as a failed attempt: wrong credentials, an
    inactive account, a malformed body.
    """

    def get_throttles(self):
        return [*super().get_throttles(), LoginFailureThrottle()]

    def finalize_response(self, request, response, *args, **kwargs):
        if status.is_success(response.status_code):
            for throttle in self.__dict__.pop(REFUNDS_ATTRIBUTE, ()):
                throttle.refund()
        return super().finalize_response(request, response, *args, **kwargs)
