"""Rate limits for logins, registrations, emailed links and confirmations.

Counts live in Django's default cache, so several server processes that share Redis or
Memcached enforce one limit. Each limit is a fixed window counter, increased with the cache's
atomic ``incr``. Rates are set in ``DJOSER["THROTTLE_RATES"]`` as ``"count/period"``, where
the period is a unit (``s``, ``m``, ``h``, ``d``) with an optional multiplier, as in ``"10/15m"``.
``DJOSER["THROTTLING"] = False`` switches every limit off.
"""

import hashlib
import re
import time

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import BaseThrottle

from djoser.conf import settings

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_RE = re.compile(r"^\s*(?P<count>\d+)\s*/\s*(?P<multiplier>\d*)\s*(?P<unit>[smhd])[a-z]*\s*$")

CACHE_PREFIX = "djoser:throttle"


def parse_rate(rate):
    """Return ``(count, seconds)`` for a rate such as ``"10/15m"``; None means no limit."""
    if rate is None:
        return None
    match = RATE_RE.match(str(rate))
    if match is None:
        raise ImproperlyConfigured(
            f"DJOSER['THROTTLE_RATES'] has the rate {rate!r}; write it as 'count/period', "
            "for example '10/15m' or '100/h'."
        )
    multiplier = int(match.group("multiplier") or 1)
    return int(match.group("count")), multiplier * UNIT_SECONDS[match.group("unit")]


def digest(value):
    """Return a short digest of ``value``, so cache keys hold no email address or username."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class Limit:
    """One fixed-window counter: ``count`` events per ``seconds`` for one key."""

    def __init__(self, scope, ident, count, seconds, now):
        self.count = count
        self.seconds = seconds
        self.window = int(now // seconds)
        self.retry_after = (self.window + 1) * seconds - now
        self.key = f"{CACHE_PREFIX}:{scope}:{ident}:{self.window}"

    def used(self):
        return cache.get(self.key, 0)

    def add_one(self):
        # add() creates the counter only if it is missing; incr() is atomic in Redis and
        # Memcached, so concurrent requests on several processes all count.
        cache.add(self.key, 0, timeout=self.seconds + 1)
        try:
            cache.incr(self.key)
        except ValueError:
            # The counter expired between add() and incr(); start the window again.
            cache.add(self.key, 1, timeout=self.seconds + 1)


class DjoserThrottle(BaseThrottle):
    """A throttle with one or more limits, each keyed on parts of the request.

    Subclasses set ``scopes``: pairs of a ``THROTTLE_RATES`` key and the name of a method
    returning that limit's identity for the request (None skips the limit). With
    ``count_failures_only`` the view calls ``record_failure`` itself, and a request is only
    counted when it fails.
    """

    scopes = ()
    count_failures_only = False

    def __init__(self):
        self.wait_seconds = None

    def get_limits(self, request, view):
        """Return the ``Limit`` objects that apply to ``request``."""
        if not settings.THROTTLING:
            return []
        now = time.time()
        limits = []
        for scope, ident_method in self.scopes:
            parsed = parse_rate(settings.THROTTLE_RATES.get(scope))
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
            if limit.used() >= limit.count:
                self.wait_seconds = limit.retry_after
                return False
        if not self.count_failures_only:
            for limit in limits:
                limit.add_one()
        return True

    def record_failure(self, request, view):
        """Count a failed attempt against every limit of this throttle."""
        for limit in self.get_limits(request, view):
            limit.add_one()

    def wait(self):
        return self.wait_seconds

    def client_address(self, request, view):
        """Return the client's address as DRF's throttles read it (``NUM_PROXIES`` applies)."""
        return digest(self.get_ident(request) or "")

    def target_email(self, request, view):
        """Return a digest of the email address in the request body, if it has one."""
        value = body_value(request, "email")
        if not value:
            return None
        return digest(value.strip().lower())

    def account_and_address(self, request, view):
        """Return a digest of the login value and the client's address together."""
        value = body_value(request, settings.LOGIN_FIELD)
        if not value:
            return None
        return digest(f"{value.strip().lower()}\0{self.get_ident(request) or ''}")


def body_value(request, name):
    """Return the string ``name`` from the request body, or None if absent or not a string."""
    data = getattr(request, "data", None)
    if not hasattr(data, "get"):
        return None
    value = data.get(name)
    return value if isinstance(value, str) else None


class LoginFailureThrottle(DjoserThrottle):
    """Failed logins, per account and address together and per address.

    Keying the account limit on the address as well means a stranger who guesses passwords
    for an account cannot lock its owner out from the owner's own address.
    """

    scopes = (
        ("login_account_address", "account_and_address"),
        ("login_address", "client_address"),
    )
    count_failures_only = True


class RegistrationThrottle(DjoserThrottle):
    """Registrations per address."""

    scopes = (("registration", "client_address"),)


class EmailLinkThrottle(DjoserThrottle):
    """Reset password, reset username and resend activation, per target email and address."""

    scopes = (
        ("email_target", "target_email"),
        ("email_address", "client_address"),
    )


class ConfirmationThrottle(DjoserThrottle):
    """Activation and the reset confirm endpoints, per address."""

    scopes = (("confirmation", "client_address"),)


def record_login_failure(view, request):
    """Count a failed login against the view's failure-only throttles."""
    for throttle in view.get_throttles():
        if isinstance(throttle, DjoserThrottle) and throttle.count_failures_only:
            throttle.record_failure(request, view)
