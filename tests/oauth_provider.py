"""An OAuth2 provider stand-in on 127.0.0.1, and social-auth backends that use it.

``OAuthProvider`` is a small authorization server run by ``http.server`` in a thread, with
the three endpoints a login needs. ``/authorize`` redirects back with a code, as a provider
does once the user consents. ``/token`` exchanges the code for an access token, checking
the client, the redirect URI and the PKCE verifier. ``/userinfo`` returns the profile for an
access token. The backends subclass social-auth's own OAuth2 classes, so a test login goes
through social-auth's real HTTP requests.
"""

import base64
import hashlib
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from django.contrib.auth import get_user_model
from social_core.backends.oauth import BaseOAuth2, BaseOAuth2PKCE

from tests import factories

CLIENT_ID = "djoser-test-client"
CLIENT_SECRET = "djoser-test-secret"

# Values of ``OAuthProvider.mode``: what the provider returns in place of a correct response.
NORMAL = "normal"
TOKEN_NOT_JSON = "token-not-json"  # the token endpoint returns 200 with an HTML page
TOKEN_WITHOUT_ACCESS_TOKEN = "token-without-access-token"  # 200 with JSON lacking the token
TOKEN_SERVER_ERROR = "token-server-error"  # the token endpoint returns 500
USERINFO_NOT_JSON = "userinfo-not-json"  # the user-info endpoint returns 200 with HTML


class OAuthProvider:
    """An OAuth2 authorization server and user-info API on a free 127.0.0.1 port."""

    def __init__(self):
        self.profile = {
            "id": "1001",
            "login": "octocat",
            "email": "octocat@example.com",
            "given_name": "Octo",
            "family_name": "Cat",
        }
        self.mode = NORMAL
        self.grants = {}  # authorization code -> what the token request must match
        self.access_tokens = {}  # access token -> profile
        self.token_requests = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), ProviderRequestHandler)
        self.server.provider = self
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}"

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def authorize(self, query):
        """Return (status, headers, body) for the consent step: a redirect with a code."""
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return 400, {}, {"error": "invalid_request"}
        redirect_uri = query.get("redirect_uri")
        if not redirect_uri:
            return 400, {}, {"error": "invalid_request"}
        code = secrets.token_urlsafe(16)
        with self.lock:
            self.grants[code] = {
                "redirect_uri": redirect_uri,
                "code_challenge": query.get("code_challenge"),
                "code_challenge_method": query.get("code_challenge_method"),
                "profile": dict(self.profile),
            }
        params = {"code": code}
        if "state" in query:
            params["state"] = query["state"]
        separator = "&" if "?" in redirect_uri else "?"
        return 302, {"Location": f"{redirect_uri}{separator}{urlencode(params)}"}, None

    def token(self, form):
        """Return (status, headers, body) for an authorization code exchange."""
        with self.lock:
            self.token_requests += 1
            if self.mode == TOKEN_SERVER_ERROR:
                return 500, {}, "<html>Internal Server Error</html>"
            if self.mode == TOKEN_NOT_JSON:
                return 200, {}, "<html>Maintenance</html>"
            if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
                return 401, {}, {"error": "invalid_client"}
            if form.get("grant_type") != "authorization_code":
                return 400, {}, {"error": "unsupported_grant_type"}
            # A code is single-use: it is gone after the first exchange, right or wrong.
            grant = self.grants.pop(form.get("code", ""), None)
            if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                return 400, {}, {"error": "invalid_grant"}
            if not verifier_matches(grant, form.get("code_verifier")):
                return 400, {}, {"error": "invalid_grant"}
            if self.mode == TOKEN_WITHOUT_ACCESS_TOKEN:
                return 200, {}, {"token_type": "bearer"}
            access_token = secrets.token_urlsafe(16)
            self.access_tokens[access_token] = grant["profile"]
        return 200, {}, {"access_token": access_token, "token_type": "bearer", "expires_in": 3600}

    def userinfo(self, authorization):
        """Return (status, headers, body) with the profile of a bearer access token."""
        if self.mode == USERINFO_NOT_JSON:
            return 200, {}, "<html>Maintenance</html>"
        scheme, _, token = (authorization or "").partition(" ")
        profile = self.access_tokens.get(token) if scheme.lower() == "bearer" else None
        if profile is None:
            return 401, {}, {"error": "invalid_token"}
        return 200, {}, profile


def verifier_matches(grant, verifier):
    """Return True when the PKCE ``verifier`` fits the grant's challenge, or none was sent."""
    challenge = grant["code_challenge"]
    if challenge is None:
        return verifier is None
    if not verifier or grant["code_challenge_method"] != "S256":
        return False
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=") == challenge


class ProviderRequestHandler(BaseHTTPRequestHandler):
    """Route the stand-in's three endpoints to ``OAuthProvider``."""

    def do_GET(self):
        provider = self.server.provider
        url = urlsplit(self.path)
        if url.path == "/authorize":
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            self.send(*provider.authorize(query))
        elif url.path == "/userinfo":
            self.send(*provider.userinfo(self.headers.get("Authorization")))
        else:
            self.send(404, {}, {"error": "not_found"})

    def do_POST(self):
        provider = self.server.provider
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        if urlsplit(self.path).path == "/token":
            form = {key: values[0] for key, values in parse_qs(body).items()}
            self.send(*provider.token(form))
        else:
            self.send(404, {}, {"error": "not_found"})

    def send(self, status, headers, body):
        if isinstance(body, (dict, list)):
            payload, content_type = json.dumps(body).encode(), "application/json"
        else:
            payload, content_type = (body or "").encode(), "text/html"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):
        # Keep the test output free of one access-log line per request.
        pass


def consent(authorization_url):
    """Open ``authorization_url`` as the user's browser would; return the callback's query.

    The stand-in consents at once and redirects to the front end's redirect URI with
    ``code`` and ``state``. The redirect is not followed: its query is returned as a dict.
    """
    response = requests.get(authorization_url, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    return {key: values[0] for key, values in query.items()}


class ExampleProviderMixin:
    """The stand-in's endpoints, under the URL in ``SOCIAL_AUTH_<NAME>_BASE_URL``."""

    ID_KEY = "id"

    def authorization_url(self):
        return f"{self.setting('BASE_URL')}/authorize"

    def access_token_url(self):
        return f"{self.setting('BASE_URL')}/token"

    def user_data(self, access_token, *args, **kwargs):
        return self.get_json(
            f"{self.setting('BASE_URL')}/userinfo",
            headers={"Authorization": f"Bearer {access_token}"},
        )

    def get_user_details(self, response):
        return {
            "username": response.get("login"),
            "email": response.get("email"),
            "first_name": response.get("given_name"),
            "last_name": response.get("family_name"),
        }


class ExampleOAuth2(ExampleProviderMixin, BaseOAuth2):
    """The stand-in as a typical OAuth2 provider: ``state`` is sent as its own parameter."""

    name = "example"
    REDIRECT_STATE = False
    STATE_PARAMETER = True


class ExampleRedirectStateOAuth2(ExampleProviderMixin, BaseOAuth2):
    """The stand-in with social-auth's default ``REDIRECT_STATE``, which also adds the
    ``state`` to the redirect URI as ``redirect_state``."""

    name = "example-redirect-state"


class ExamplePKCEOAuth2(ExampleProviderMixin, BaseOAuth2PKCE):
    """The stand-in with PKCE: the token request must carry the code verifier."""

    name = "example-pkce"
    REDIRECT_STATE = False
    STATE_PARAMETER = True


class ExampleStatelessOAuth2(ExampleProviderMixin, BaseOAuth2):
    """The stand-in without any ``state``, which djoser does not serve."""

    name = "example-stateless"
    REDIRECT_STATE = False
    STATE_PARAMETER = False


BACKENDS = (ExampleOAuth2, ExampleRedirectStateOAuth2, ExamplePKCEOAuth2)


def backend_path(backend_class):
    return f"{backend_class.__module__}.{backend_class.__name__}"


def fill_user_fields(details, *args, **kwargs):
    """Pipeline step: give ``create_user`` the selected user model's own fields.

    The provider's email goes to the model's email field, and a model with extra required
    fields gets valid values for them, as a project's own pipeline step would supply.
    """
    values = factories.required_field_values()
    values[get_user_model().get_email_field_name()] = details.get("email")
    return values


def user_fields():
    """Return ``SOCIAL_AUTH_USER_FIELDS`` for the selected user model."""
    user_model = get_user_model()
    names = ["username", user_model.get_email_field_name(), *user_model.REQUIRED_FIELDS]
    return list(dict.fromkeys(names))
