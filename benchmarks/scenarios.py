"""One benchmark scenario per endpoint: the accounts it needs and the request it sends.

A scenario is a generator function registered with ``@scenario``. It receives an
``Accounts`` helper, sets up what it needs, then yields one ``Request`` per request to
send. Code between two ``yield`` statements runs before the next request and is not timed,
so a scenario can create a fresh account or a new emailed-link token for every request.
"""

import importlib.util
import itertools
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from rest_framework.authtoken.models import Token
from rest_framework_simplejwt.tokens import RefreshToken

from djoser.conf import settings as djoser_settings
from djoser.tokens import activation_token_generator, username_reset_token_generator
from djoser.utils import encode_uid

PASSWORD = "correct-horse-battery-staple"
OTHER_PASSWORD = "another-horse-battery-staple"

# Accounts besides the requester in the staff user list.
LIST_SIZE = 50


@dataclass
class Request:
    method: str
    path: str
    data: dict = None
    # The Authorization header value, such as "Token <key>" or "Bearer <jwt>".
    authorization: str = None


@dataclass
class Scenario:
    name: str
    function: object
    expected_status: int
    # True when the same request can be sent again and again without preparation and
    # succeeds every time (no throttle counts it), so the load test can replay it.
    repeatable: bool = False
    # True for the endpoints whose time is mostly one password hash; the benchmark compares
    # their time with a hash timed right after each request.
    hash_bound: bool = False
    notes: str = ""


SCENARIOS = {}


def scenario(name, expected_status, repeatable=False, hash_bound=False, notes=""):
    """Register a scenario generator under ``name``, the row label in the results."""

    def register(function):
        SCENARIOS[name] = Scenario(name, function, expected_status, repeatable, hash_bound, notes)
        return function

    return register


class Accounts:
    """Create accounts cheaply: each stores one password hash computed in advance."""

    def __init__(self):
        self.user_model = get_user_model()
        self.encoded_password = make_password(PASSWORD)
        self.numbers = itertools.count(1)

    def create(self, prefix="user", **fields):
        number = next(self.numbers)
        return self.user_model.objects.create(
            username=f"{prefix}{number}",
            email=f"{prefix}{number}@example.com",
            password=self.encoded_password,
            **fields,
        )

    def token_header(self, user):
        token, _created = Token.objects.get_or_create(user=user)
        return f"Token {token.key}"

    def reactivate(self, user):
        """Make ``user`` active again after a request that changed its email."""
        self.user_model.objects.filter(pk=user.pk).update(is_active=True)


def post(path, data=None, authorization=None):
    return Request("POST", path, data, authorization)


def get(path, authorization=None):
    return Request("GET", path, None, authorization)


def alternate(number, first, second):
    return first if number % 2 == 0 else second


# --- Reading users ----------------------------------------------------------------------


@scenario("users list", 200, repeatable=True, notes=f"staff, {LIST_SIZE + 1} accounts or more")
def users_list(accounts):
    staff = accounts.create("staff", is_staff=True)
    for _ in range(LIST_SIZE):
        accounts.create("listed")
    authorization = accounts.token_header(staff)
    while True:
        yield get("/auth/users/", authorization)


@scenario("users detail", 200, repeatable=True)
def users_detail(accounts):
    user = accounts.create()
    authorization = accounts.token_header(user)
    while True:
        yield get(f"/auth/users/{user.pk}/", authorization)


@scenario("users/me GET", 200, repeatable=True)
def me_get(accounts):
    user = accounts.create()
    authorization = accounts.token_header(user)
    while True:
        yield get("/auth/users/me/", authorization)


@scenario("users/me PUT", 200, notes="new email, so the account awaits activation")
def me_put(accounts):
    user = accounts.create()
    for number in itertools.count():
        # The previous request made the account inactive, which also ended its tokens.
        accounts.reactivate(user)
        authorization = accounts.token_header(user)
        email = alternate(number, "first@example.com", "second@example.com")
        yield Request("PUT", "/auth/users/me/", {"email": email}, authorization)


@scenario("users/me PATCH", 200, notes="new email, so the account awaits activation")
def me_patch(accounts):
    user = accounts.create()
    for number in itertools.count():
        # The previous request made the account inactive, which also ended its tokens.
        accounts.reactivate(user)
        authorization = accounts.token_header(user)
        email = alternate(number, "first@example.com", "second@example.com")
        yield Request("PATCH", "/auth/users/me/", {"email": email}, authorization)


@scenario("users/me DELETE", 204)
def me_delete(accounts):
    while True:
        authorization = accounts.token_header(accounts.create("deleted"))
        yield Request("DELETE", "/auth/users/me/", {"current_password": PASSWORD}, authorization)


# --- Registration and activation --------------------------------------------------------


@scenario("register", 201, hash_bound=True)
def register(accounts):
    for number in itertools.count(1):
        data = {
            "username": f"registered{number}",
            "email": f"registered{number}@example.com",
            "password": PASSWORD,
        }
        yield post("/auth/users/", data)


@scenario("activation", 204)
def activation(accounts):
    while True:
        user = accounts.create("inactive", is_active=False)
        data = {"uid": encode_uid(user.pk), "token": activation_token_generator.make_token(user)}
        yield post("/auth/users/activation/", data)


@scenario("resend activation", 204)
def resend_activation(accounts):
    user = accounts.create("waiting", is_active=False)
    while True:
        yield post("/auth/users/resend_activation/", {"email": user.email})


# --- Passwords --------------------------------------------------------------------------


@scenario("set password", 204)
def set_password(accounts):
    user = accounts.create()
    authorization = accounts.token_header(user)
    for number in itertools.count():
        current = alternate(number, PASSWORD, OTHER_PASSWORD)
        new = alternate(number, OTHER_PASSWORD, PASSWORD)
        data = {"current_password": current, "new_password": new}
        yield post("/auth/users/set_password/", data, authorization)


@scenario("reset password", 204)
def reset_password(accounts):
    user = accounts.create()
    while True:
        yield post("/auth/users/reset_password/", {"email": user.email})


@scenario("reset password confirm", 204)
def reset_password_confirm(accounts):
    user = accounts.create()
    for number in itertools.count():
        # The link's token covers the password hash, which every reset changes.
        user.refresh_from_db()
        data = {
            "uid": encode_uid(user.pk),
            "token": default_token_generator.make_token(user),
            "new_password": alternate(number, OTHER_PASSWORD, PASSWORD),
        }
        yield post("/auth/users/reset_password_confirm/", data)


# --- Usernames --------------------------------------------------------------------------


@scenario("set username", 204)
def set_username(accounts):
    user = accounts.create()
    authorization = accounts.token_header(user)
    for number in itertools.count(1):
        data = {"new_username": f"renamed{number}", "current_password": PASSWORD}
        yield post("/auth/users/set_username/", data, authorization)


@scenario("reset username", 204)
def reset_username(accounts):
    user = accounts.create()
    while True:
        yield post("/auth/users/reset_username/", {"email": user.email})


@scenario("reset username confirm", 204)
def reset_username_confirm(accounts):
    user = accounts.create()
    for number in itertools.count(1):
        # The link's token covers the username, which every confirmation changes.
        user.refresh_from_db()
        data = {
            "uid": encode_uid(user.pk),
            "token": username_reset_token_generator.make_token(user),
            "new_username": f"reset{number}",
        }
        yield post("/auth/users/reset_username_confirm/", data)


# --- Logins -----------------------------------------------------------------------------


@scenario("token login", 200, repeatable=True, hash_bound=True)
def token_login(accounts):
    user = accounts.create()
    while True:
        yield post("/auth/token/login/", {"username": user.username, "password": PASSWORD})


@scenario("token logout", 204)
def token_logout(accounts):
    user = accounts.create()
    while True:
        yield post("/auth/token/logout/", None, accounts.token_header(user))


@scenario("JWT create", 200, repeatable=True, hash_bound=True)
def jwt_create(accounts):
    user = accounts.create()
    while True:
        yield post("/auth/jwt/create/", {"username": user.username, "password": PASSWORD})


@scenario("JWT refresh", 200, repeatable=True)
def jwt_refresh(accounts):
    refresh = RefreshToken.for_user(accounts.create())
    while True:
        yield post("/auth/jwt/refresh/", {"refresh": str(refresh)})


@scenario("JWT verify", 200, repeatable=True)
def jwt_verify(accounts):
    access = RefreshToken.for_user(accounts.create()).access_token
    while True:
        yield post("/auth/jwt/verify/", {"token": str(access)})


def social_redirect_uri():
    """Return the first redirect URI the demo allows for social login."""
    return djoser_settings.SOCIAL_AUTH_ALLOWED_REDIRECT_URIS[0]


if importlib.util.find_spec("djoser.social") is not None:

    @scenario("social auth URL", 200, repeatable=True, notes="GET: the provider's login URL")
    def social_authorization_url(accounts):
        query = urlencode({"redirect_uri": social_redirect_uri()})
        while True:
            yield get(f"/auth/o/{django_settings.SOCIAL_PROVIDER}/?{query}")


def selected(names=None):
    """Return the scenarios named in ``names`` (all when None), in the order defined above."""
    if not names:
        return list(SCENARIOS.values())
    unknown = sorted(set(names) - set(SCENARIOS))
    if unknown:
        raise SystemExit(
            f"Unknown endpoint name(s): {', '.join(unknown)}. Known: {', '.join(SCENARIOS)}."
        )
    return [item for name, item in SCENARIOS.items() if name in names]

