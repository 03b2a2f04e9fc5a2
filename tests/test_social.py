"""Social login against an OAuth2 provider stand-in running on 127.0.0.1."""

import time
from unittest.mock import ANY
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from rest_framework import serializers
from rest_framework.test import APIClient
from social_core.pipeline import DEFAULT_AUTH_PIPELINE
from social_django.models import UserSocialAuth

from djoser.social import state as social_state
from djoser.social.serializers import ProviderAuthSerializer
from tests import oauth_provider
from tests.oauth_provider import (
    BACKENDS,
    CLIENT_ID,
    CLIENT_SECRET,
    TOKEN_NOT_JSON,
    TOKEN_SERVER_ERROR,
    TOKEN_WITHOUT_ACCESS_TOKEN,
    USERINFO_NOT_JSON,
    OAuthProvider,
    consent,
)

User = get_user_model()

REDIRECT_URI = "https://frontend.example.com/auth/callback"

PIPELINE = tuple(
    step
    for name in DEFAULT_AUTH_PIPELINE
    for step in (
        ("tests.oauth_provider.fill_user_fields", name)
        if name == "social_core.pipeline.user.create_user"
        else (name,)
    )
)


@pytest.fixture
def provider():
    server = OAuthProvider()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def social_settings(db, settings, provider):
    """Configure the stand-in's backends the way a project configures social-auth."""
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        *(oauth_provider.backend_path(backend) for backend in BACKENDS),
    ]
    for backend in BACKENDS:
        prefix = "SOCIAL_AUTH_" + backend.name.upper().replace("-", "_")
        setattr(settings, f"{prefix}_KEY", CLIENT_ID)
        setattr(settings, f"{prefix}_SECRET", CLIENT_SECRET)
        setattr(settings, f"{prefix}_BASE_URL", provider.base_url)
    settings.SOCIAL_AUTH_PIPELINE = PIPELINE
    settings.SOCIAL_AUTH_USER_FIELDS = oauth_provider.user_fields()
    settings.DJOSER = {**settings.DJOSER, "SOCIAL_AUTH_ALLOWED_REDIRECT_URIS": [REDIRECT_URI]}
    return settings


def url(provider_name="example"):
    return reverse("provider-auth", kwargs={"provider": provider_name})


def start_login(client, provider_name="example", redirect_uri=REDIRECT_URI):
    """Ask djoser for the authorization URL and consent there; return ``code`` and ``state``."""
    response = client.get(url(provider_name), {"redirect_uri": redirect_uri})
    assert response.status_code == 200, response.data
    return consent(response.data["authorization_url"])


def finish_login(client, callback, provider_name="example"):
    """POST the ``code`` and ``state`` the provider sent to the front end."""
    body = {"code": callback["code"], "state": callback["state"]}
    return client.post(url(provider_name), body, format="json")


def login(client=None, provider_name="example"):
    client = client or APIClient()
    return finish_login(client, start_login(client, provider_name), provider_name)


def token_body(user):
    return {"access": ANY, "refresh": ANY, "user": str(user)}


def social_user():
    return UserSocialAuth.objects.get(provider="example", uid="1001").user


def error_codes(response, field):
    return [detail.code for detail in response.data[field]]


class PastSigner(signing.TimestampSigner):
    """Sign as if it were an hour ago, to make a state that has expired."""

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 3600)


def expired_state(provider_name="example"):
    payload = social_state.state_payload(provider_name, REDIRECT_URI)
    return PastSigner(salt=social_state.STATE_SALT).sign_object(payload, compress=True)


# Authorization URL.


def test_authorization_url_points_at_provider(provider):
    response = APIClient().get(url(), {"redirect_uri": REDIRECT_URI})

    assert response.status_code == 200
    assert response.data == {"authorization_url": ANY}
    parts = urlsplit(response.data["authorization_url"])
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{provider.base_url}/authorize"
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert query == {
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "state": ANY,
    }


def test_authorization_url_stores_nothing_in_session():
    response = APIClient().get(url(), {"redirect_uri": REDIRECT_URI})

    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_authorization_url_without_trailing_slash():
    response = APIClient().get(url().rstrip("/"), {"redirect_uri": REDIRECT_URI})

    assert response.status_code == 200
    assert response.data == {"authorization_url": ANY}


def test_authorization_url_pkce_challenge():
    response = APIClient().get(url("example-pkce"), {"redirect_uri": REDIRECT_URI})

    query = parse_qs(urlsplit(response.data["authorization_url"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example.com/auth/callback",  # another host
        REDIRECT_URI + "/",  # a trailing slash more
        REDIRECT_URI + "?next=/admin",  # an added query
        REDIRECT_URI.upper(),  # different case
        " " + REDIRECT_URI,  # surrounding whitespace is not trimmed
        "",  # empty
    ],
)
def test_authorization_url_disallowed_redirect_uri(redirect_uri):
    response = APIClient().get(url(), {"redirect_uri": redirect_uri})

    assert response.status_code == 400
    assert set(response.data) == {"redirect_uri"}
    if redirect_uri:
        assert response.data == {"redirect_uri": ["This redirect URI is not allowed."]}
        assert error_codes(response, "redirect_uri") == ["invalid_redirect_uri"]


def test_authorization_url_missing_redirect_uri():
    response = APIClient().get(url())

    assert response.status_code == 400
    assert response.data == {"redirect_uri": ["This field is required."]}


def test_authorization_url_no_allowed_uris_by_default(settings):
    settings.DJOSER = {
        key: value
        for key, value in settings.DJOSER.items()
        if key != "SOCIAL_AUTH_ALLOWED_REDIRECT_URIS"
    }

    response = APIClient().get(url(), {"redirect_uri": REDIRECT_URI})

    assert response.status_code == 400
    assert response.data == {"redirect_uri": ["This redirect URI is not allowed."]}


# Unknown providers.


UNSUPPORTED_BACKENDS = [
    "social_core.backends.twitter.TwitterOAuth",
    "social_core.backends.open_id_connect.OpenIdConnectAuth",
    "social_core.backends.lastfm.LastFmAuth",
    "tests.oauth_provider.ExampleStatelessOAuth2",
]


@pytest.mark.parametrize(
    "provider_name",
    [
        "nope",  # no backend has this name
        "modelbackend",  # not a social-auth backend
        "twitter",  # OAuth1
        "oidc",  # OpenID Connect with a nonce, which social-auth binds to the session
        "lastfm",  # association-only: it links a provider to an account, never logs in
        "example-stateless",  # sends no state, so the code cannot be tied to the login
    ],
)
def test_unknown_provider(settings, provider_name):
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, *UNSUPPORTED_BACKENDS]
    client = APIClient()
    detail = f'Social login provider "{provider_name}" was not found.'

    get_response = client.get(url(provider_name), {"redirect_uri": REDIRECT_URI})
    post_response = client.post(url(provider_name), {"code": "x", "state": "y"}, format="json")

    assert get_response.status_code == 404
    assert get_response.data == {"detail": detail}
    assert post_response.status_code == 404
    assert post_response.data == {"detail": detail}


def test_provider_removed_from_settings(settings):
    APIClient().get(url(), {"redirect_uri": REDIRECT_URI})
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

    response = APIClient().get(url(), {"redirect_uri": REDIRECT_URI})

    assert response.status_code == 404


# Completing the login.


@pytest.mark.parametrize(
    "provider_name",
    [
        "example",  # state as its own parameter
        "example-redirect-state",  # state also inside the redirect URI
        "example-pkce",  # PKCE code verifier checked by the provider
    ],
)
def test_first_login_creates_user(provider_name):
    response = login(provider_name=provider_name)

    assert response.status_code == 201
    user = User.objects.get()
    assert response.data == token_body(user)
    assert getattr(user, user.get_email_field_name()) == "octocat@example.com"
    assert user.first_name == "Octo"
    association = UserSocialAuth.objects.get()
    assert (association.provider, association.uid, association.user) == (
        provider_name,
        "1001",
        user,
    )


def test_first_login_token_authenticates():
    response = login()

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.data['access']}")
    me = client.get(reverse("user-me"))
    assert me.status_code == 200
    assert me.data[User.USERNAME_FIELD] == social_user().get_username()


def test_first_login_refresh_token_works():
    response = login()

    refreshed = APIClient().post(
        reverse("jwt-refresh"), {"refresh": response.data["refresh"]}, format="json"
    )
    assert refreshed.status_code == 200
    assert refreshed.data == {"access": ANY}


def test_repeat_login_finds_user():
    first = login()
    user = social_user()

    second = login()

    assert first.status_code == 201
    assert second.status_code == 201
    assert second.data == token_body(user)
    assert User.objects.count() == 1
    assert UserSocialAuth.objects.count() == 1


def test_repeat_login_updates_details(provider):
    login()
    provider.profile["given_name"] = "Octavia"

    response = login()

    assert response.status_code == 201
    assert social_user().first_name == "Octavia"


@pytest.mark.parametrize("provider_name", ["example", "example-pkce"])
def test_cross_origin_login_without_session_cookie(provider_name):
    # The front end on another origin starts the login with one client and completes it
    # with another, so no cookie from the first request comes back.
    callback = start_login(APIClient(), provider_name)

    response = finish_login(APIClient(), callback, provider_name)

    assert response.status_code == 201
    assert response.data == token_body(User.objects.get())


def test_login_with_session_cookie(user):
    # A client that keeps cookies and is logged in to a session: the login still succeeds,
    # with no CSRF check, and logs in the provider's user without linking the session's.
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)

    response = login(client)

    assert response.status_code == 201
    assert response.data == token_body(social_user())
    assert social_user() != user
    assert not UserSocialAuth.objects.filter(user=user).exists()


def test_login_form_encoded_body():
    client = APIClient()
    callback = start_login(client)

    response = client.post(url(), {"code": callback["code"], "state": callback["state"]})

    assert response.status_code == 201


def test_login_without_trailing_slash():
    client = APIClient()
    callback = start_login(client)

    response = client.post(
        url().rstrip("/"), {"code": callback["code"], "state": callback["state"]}, format="json"
    )

    assert response.status_code == 201


def test_inactive_user_rejected(provider):
    login()
    user = social_user()
    user.is_active = False
    user.save()
    provider.profile["given_name"] = "Octavia"

    response = login()

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["User account is disabled."]}
    assert error_codes(response, "non_field_errors") == ["inactive_account"]
    user.refresh_from_db()
    assert user.first_name == "Octo"  # the pipeline's changes were rolled back


def test_pipeline_not_allowed(settings):
    settings.SOCIAL_AUTH_EXAMPLE_WHITELISTED_DOMAINS = ["example.org"]

    response = login()

    assert response.status_code == 400
    assert response.data == {
        "non_field_errors": ["This provider account is not allowed to log in."]
    }
    assert not User.objects.exists()


# State.


def test_missing_state():
    client = APIClient()
    callback = start_login(client)

    response = client.post(url(), {"code": callback["code"]}, format="json")

    assert response.status_code == 400
    assert response.data == {"state": ["This field is required."]}


def test_missing_code_keeps_state_usable():
    client = APIClient()
    callback = start_login(client)

    missing = client.post(url(), {"state": callback["state"]}, format="json")
    complete = finish_login(client, callback)

    assert missing.status_code == 400
    assert missing.data == {"code": ["This field is required."]}
    assert complete.status_code == 201


@pytest.mark.parametrize(
    "make_state",
    [
        lambda state: "forged",  # not a signed value
        lambda state: state[:-1] + ("A" if state[-1] != "A" else "B"),  # signature altered
        lambda state: signing.dumps(  # signed with another key
            social_state.state_payload("example", REDIRECT_URI),
            key="another-secret-key-of-sufficient-length-for-hmac",
            salt=social_state.STATE_SALT,
        ),
        lambda state: signing.dumps(  # signed for another purpose
            social_state.state_payload("example", REDIRECT_URI), salt="another.salt"
        ),
        lambda state: signing.dumps(  # signed, but not a state's payload
            ["example", REDIRECT_URI], salt=social_state.STATE_SALT
        ),
        lambda state: social_state.issue_state("example-pkce", REDIRECT_URI),  # another provider
    ],
)
def test_invalid_state(provider, make_state):
    client = APIClient()
    callback = start_login(client)

    response = client.post(
        url(), {"code": callback["code"], "state": make_state(callback["state"])}, format="json"
    )

    assert response.status_code == 400
    assert response.data == {"state": ["Invalid state. Start the login again."]}
    assert error_codes(response, "state") == ["invalid_state"]
    assert provider.token_requests == 0
    assert not User.objects.exists()


def test_state_of_other_provider_rejected(provider):
    client = APIClient()
    callback = start_login(client, "example-pkce")

    response = finish_login(client, callback, "example")

    assert response.status_code == 400
    assert response.data == {"state": ["Invalid state. Start the login again."]}
    assert provider.token_requests == 0


def test_expired_state(provider):
    client = APIClient()
    callback = start_login(client)

    response = finish_login(client, {**callback, "state": expired_state()})

    assert response.status_code == 400
    assert response.data == {"state": ["The state has expired. Start the login again."]}
    assert error_codes(response, "state") == ["state_expired"]
    assert provider.token_requests == 0


def test_state_lifetime_setting(settings):
    # The same hour-old state is accepted when social-auth's STATE_LIFETIME allows it.
    settings.SOCIAL_AUTH_EXAMPLE_STATE_LIFETIME = 7200
    client = APIClient()
    callback = start_login(client)
    old_state = expired_state()

    response = finish_login(client, {**callback, "state": old_state})

    # The stand-in does not tie its codes to a state, so the exchange succeeds.
    assert response.status_code == 201


def test_invalid_state_lifetime_setting(settings):
    settings.SOCIAL_AUTH_EXAMPLE_STATE_LIFETIME = "forever"
    client = APIClient()
    callback = start_login(client)

    response = finish_login(client, callback)

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Social login could not be completed."]}


def test_replayed_state(provider):
    client = APIClient()
    callback = start_login(client)
    first = finish_login(client, callback)

    replay = finish_login(APIClient(), callback)

    assert first.status_code == 201
    assert replay.status_code == 400
    assert replay.data == {"state": ["This state has already been used. Start the login again."]}
    assert error_codes(replay, "state") == ["state_already_used"]
    assert provider.token_requests == 1


def test_state_after_rejected_code_is_used_up(provider):
    client = APIClient()
    callback = start_login(client)
    rejected = finish_login(client, {**callback, "code": "wrong-code"})

    retry = finish_login(client, callback)

    assert rejected.status_code == 400
    assert retry.status_code == 400
    assert retry.data == {"state": ["This state has already been used. Start the login again."]}


def test_redirect_uri_removed_after_start(settings):
    client = APIClient()
    callback = start_login(client)
    settings.DJOSER = {**settings.DJOSER, "SOCIAL_AUTH_ALLOWED_REDIRECT_URIS": []}

    response = finish_login(client, callback)

    assert response.status_code == 400
    assert response.data == {"state": ["This redirect URI is not allowed."]}


# Code and provider failures.


@pytest.mark.parametrize(
    "code",
    [
        "wrong-code",  # never issued
        "",  # empty
    ],
)
def test_bad_code(provider, code):
    client = APIClient()
    callback = start_login(client)

    response = finish_login(client, {**callback, "code": code})

    assert response.status_code == 400
    if code:
        assert response.data == {
            "code": ["The provider rejected this authorization code. Start the login again."]
        }
        assert error_codes(response, "code") == ["invalid_code"]
    else:
        assert response.data == {"code": ["This field may not be blank."]}
    assert not User.objects.exists()


def test_code_used_twice(provider):
    # The same code with a fresh state: the provider refuses a code it already exchanged.
    client = APIClient()
    callback = start_login(client)
    first = finish_login(client, callback)
    second_state = start_login(client)["state"]

    second = finish_login(client, {"code": callback["code"], "state": second_state})

    assert first.status_code == 201
    assert second.status_code == 400
    assert error_codes(second, "code") == ["invalid_code"]


def test_pkce_verifier_checked(provider):
    # A code issued with one PKCE challenge cannot be redeemed with another state's verifier.
    client = APIClient()
    callback = start_login(client, "example-pkce")
    other_state = start_login(client, "example-pkce")["state"]

    response = finish_login(client, {**callback, "state": other_state}, "example-pkce")

    assert response.status_code == 400
    assert error_codes(response, "code") == ["invalid_code"]


def test_provider_down(provider):
    client = APIClient()
    callback = start_login(client)
    provider.stop()

    response = finish_login(client, callback)

    assert response.status_code == 400
    assert response.data == {
        "non_field_errors": ["The provider could not be reached. Try again later."]
    }
    assert error_codes(response, "non_field_errors") == ["provider_unavailable"]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "mode, message",
    [
        (TOKEN_NOT_JSON, "The provider returned an invalid response."),  # HTML for JSON
        (TOKEN_WITHOUT_ACCESS_TOKEN, "The provider returned an invalid response."),  # no token
        (USERINFO_NOT_JSON, "The provider returned an invalid response."),  # bad profile
        (TOKEN_SERVER_ERROR, "The provider could not be reached. Try again later."),  # a 500
    ],
)
def test_provider_bad_response(provider, mode, message):
    client = APIClient()
    callback = start_login(client)
    provider.mode = mode

    response = finish_login(client, callback)

    assert response.status_code == 400
    assert response.data == {"non_field_errors": [message]}
    assert not User.objects.exists()


def test_wrong_client_secret(settings):
    settings.SOCIAL_AUTH_EXAMPLE_SECRET = "wrong-secret"

    response = login()

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Social login could not be completed."]}
    assert not User.objects.exists()


# Extension points.


class IdTokenStrategy:
    """A token strategy that returns the user's primary key."""

    @classmethod
    def obtain(cls, user):
        return {"id": str(user.pk)}


class ExistingUsersOnlySerializer(ProviderAuthSerializer):
    """Log in users who already have an account; refuse to create new ones."""

    def complete_login(self, backend, code, verified_state):
        user = super().complete_login(backend, code, verified_state)
        if user.is_new:
            raise serializers.ValidationError({"non_field_errors": ["Sign up first."]})
        return user


def test_token_strategy_setting(settings):
    settings.DJOSER = {
        **settings.DJOSER,
        "SOCIAL_AUTH_TOKEN_STRATEGY": "tests.test_social.IdTokenStrategy",
    }

    response = login()

    assert response.status_code == 201
    assert response.data == {"id": str(social_user().pk)}


def test_token_strategy_updates_last_login(settings):
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "UPDATE_LAST_LOGIN": True}

    response = login()

    assert response.status_code == 201
    assert social_user().last_login is not None


def test_token_strategy_leaves_last_login():
    response = login()

    assert response.status_code == 201
    assert social_user().last_login is None


def test_serializer_setting(settings):
    settings.DJOSER = {
        **settings.DJOSER,
        "SERIALIZERS": {"provider_auth": "tests.test_social.ExistingUsersOnlySerializer"},
    }

    response = login()

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Sign up first."]}
    # The pipeline created the user inside the serializer's transaction, now rolled back.
    assert not User.objects.exists()
    assert not UserSocialAuth.objects.exists()


def test_url_name_reverses():
    assert reverse("provider-auth", kwargs={"provider": "example"}) == "/auth/o/example/"
