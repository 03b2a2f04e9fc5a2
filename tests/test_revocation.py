"""Revocation: which tokens and sessions end after a reset, a password change, deactivation
and deletion, for DRF's tokens, djoser's hashed tokens, knox tokens, sessions and JWTs.

Refresh JWTs can only end where SimpleJWT's blacklist app is installed, which happens in a
process of its own (``runtests.py`` runs the ``jwt_blacklist`` tests with
``DJOSER_TEST_JWT_BLACKLIST=1``); without the app the tests assert that they still work.
Access JWTs live out their lifetime in both cases.
"""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from rest_framework.test import APIClient

from djoser import utils
from djoser.jwt import BLACKLIST_APP
from tests.authentication import use_authentication
from tests.conftest import link_parts
from tests.factories import PASSWORD, email_field, is_email_login_model, login_data

User = get_user_model()

pytestmark = [pytest.mark.django_db, pytest.mark.jwt_blacklist]

BLACKLIST = BLACKLIST_APP in django_settings.INSTALLED_APPS

NEW_PASSWORD = "another-staple-battery"

# kind -> (TOKEN_MODEL, its DRF authentication class)
TOKEN_KINDS = {
    # DRF's Token, one per user: djoser's default.
    "drf": ("rest_framework.authtoken.models.Token", "rest_framework.authentication.TokenAuthentication"),
    # djoser's hashed tokens, one per login.
    "hashed": ("djoser.authtoken.models.AuthToken", "djoser.authtoken.authentication.TokenAuthentication"),
    # django-rest-knox's tokens, one per login.
    "knox": ("knox.models.AuthToken", "knox.auth.TokenAuthentication"),
}


@pytest.fixture(params=sorted(TOKEN_KINDS))
def token_kind(request, settings, monkeypatch, djoser_settings):
    """Select one token model, with JWT and session authentication beside it."""
    token_model, authentication = TOKEN_KINDS[request.param]
    djoser_settings(TOKEN_MODEL=token_model, THROTTLING=False)
    use_authentication(
        monkeypatch,
        settings,
        authentication,
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    )
    return request.param


class Logins:
    """Every kind of login ``user`` holds: two token logins, a session, and a JWT pair."""

    def __init__(self, user):
        self.user = user
        self.laptop = self.token_login()
        self.phone = self.token_login()
        self.session = APIClient()
        self.session.force_login(user)
        pair = APIClient().post("/auth/jwt/create/", login_data(user), format="json").json()
        self.access = pair["access"]
        self.refresh = pair["refresh"]

    def token_login(self):
        response = APIClient().post("/auth/token/login/", login_data(self.user), format="json")
        assert response.status_code == 200, response.content
        return response.json()["auth_token"]

    def token_works(self, key):
        return APIClient().get("/auth/users/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200

    def session_works(self, client=None):
        return (client or self.session).get("/auth/users/me/").status_code == 200

    def access_works(self):
        client = APIClient()
        return client.get("/auth/users/me/", HTTP_AUTHORIZATION=f"Bearer {self.access}").status_code == 200

    def refresh_works(self):
        response = APIClient().post("/auth/jwt/refresh/", {"refresh": self.refresh}, format="json")
        return response.status_code == 200

    def assert_all_work(self):
        assert self.token_works(self.laptop)
        assert self.token_works(self.phone)
        assert self.session_works()
        assert self.access_works()
        assert self.refresh_works()

    def assert_all_ended(self, inactive=False):
        """Assert that every login but the access JWT has ended.

        Refresh tokens end only through SimpleJWT's blacklist app, but SimpleJWT refuses
        to refresh for an ``inactive`` account in any case.
        """
        assert not self.token_works(self.laptop)
        assert not self.token_works(self.phone)
        assert not self.session_works()
        assert self.refresh_works() is not (BLACKLIST or inactive)


def reset_password(client, user):
    """Reset ``user``'s password through the emailed link, as its owner would."""
    response = client.post("/auth/users/reset_password/", {"email": getattr(user, email_field())}, format="json")
    assert response.status_code == 204
    uid, token = link_parts(mail.outbox[-1])
    body = {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    response = client.post("/auth/users/reset_password_confirm/", body, format="json")
    assert response.status_code == 204, response.content


def test_reset_ends_every_login(api_client, user, token_kind):
    logins = Logins(user)
    logins.assert_all_work()

    reset_password(api_client, user)

    logins.assert_all_ended()
    # An access JWT lives out its short lifetime.
    assert logins.access_works()
    # The new password logs in.
    assert APIClient().post("/auth/token/login/", login_data(user, NEW_PASSWORD), format="json").status_code == 200


def test_reset_leaves_other_users(api_client, user, other_user, token_kind):
    others = Logins(other_user)

    reset_password(api_client, user)

    others.assert_all_work()


def set_password(client, **headers):
    body = {"new_password": NEW_PASSWORD, "current_password": PASSWORD}
    return client.post("/auth/users/set_password/", body, format="json", **headers)


def test_set_password_logout_ends_every_login(user, token_kind, djoser_settings):
    djoser_settings(LOGOUT_ON_PASSWORD_CHANGE=True)
    logins = Logins(user)

    response = set_password(APIClient(), HTTP_AUTHORIZATION=f"Token {logins.laptop}")

    assert response.status_code == 204
    logins.assert_all_ended()
    assert logins.access_works()


def test_set_password_keeps_tokens(user, token_kind):
    logins = Logins(user)

    response = set_password(APIClient(), HTTP_AUTHORIZATION=f"Token {logins.laptop}")

    assert response.status_code == 204
    # Tokens stay valid, as in djoser 2.x; sessions end through the password hash.
    assert logins.token_works(logins.laptop)
    assert logins.token_works(logins.phone)
    assert logins.refresh_works()
    assert not logins.session_works()


def test_set_password_keeps_own_session(user, token_kind):
    logins = Logins(user)
    own_session = APIClient()
    own_session.force_login(user)

    response = set_password(own_session)

    assert response.status_code == 204
    assert logins.session_works(own_session)
    assert not logins.session_works()


def test_set_password_logout_ends_own_session(user, token_kind, djoser_settings):
    djoser_settings(LOGOUT_ON_PASSWORD_CHANGE=True)
    own_session = APIClient()
    own_session.force_login(user)

    response = set_password(own_session)

    assert response.status_code == 204
    assert own_session.get("/auth/users/me/").status_code in (401, 403)


def test_email_change_deactivation_ends_logins(user, token_kind, djoser_settings):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)
    logins = Logins(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {logins.laptop}")

    if is_email_login_model():
        body = {"new_email": "moved@example.com", "current_password": PASSWORD}
        response = client.post("/auth/users/set_email/", body, format="json")
        assert response.status_code == 204, response.content
    else:
        response = client.patch("/auth/users/me/", {email_field(): "moved@example.com"}, format="json")
        assert response.status_code == 200, response.content

    user.refresh_from_db()
    assert user.is_active is False
    logins.assert_all_ended(inactive=True)


def test_model_save_inactive_ends_logins(user, token_kind):
    logins = Logins(user)

    user.is_active = False
    user.save()

    logins.assert_all_ended(inactive=True)
    # Reactivating the account brings no old login back.
    user.is_active = True
    user.save()
    assert not logins.token_works(logins.laptop)
    assert not logins.token_works(logins.phone)
    assert logins.refresh_works() is not BLACKLIST


def test_model_save_other_fields_keeps_logins(user, token_kind):
    logins = Logins(user)

    user.is_active = False
    # A save that does not write is_active deactivates nothing.
    user.save(update_fields=["last_login"])

    user.is_active = True
    assert logins.token_works(logins.laptop)
    assert logins.token_works(logins.phone)


def test_delete_ends_logins(user, token_kind):
    logins = Logins(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {logins.laptop}")

    response = client.delete("/auth/users/me/", {"current_password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
    assert not logins.token_works(logins.laptop)
    assert not logins.token_works(logins.phone)
    assert not logins.session_works()
    # Refresh of a deleted user fails with or without the blacklist.
    assert not logins.refresh_works()
    if BLACKLIST:
        from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

        outstanding = OutstandingToken.objects.filter(token=logins.refresh).get()
        assert outstanding.user is None
        assert hasattr(outstanding, "blacklistedtoken")


def test_save_inactive_without_token_app(user, djoser_settings):
    # A JWT-only project that kept the default TOKEN_MODEL without installing DRF's
    # authtoken app cannot import it. Deactivating a user must still work. Flatpages
    # stands in for that app, since no test installs it.
    djoser_settings(TOKEN_MODEL="django.contrib.flatpages.models.FlatPage")
    with pytest.raises(ImproperlyConfigured):
        utils.revoke_user_tokens(user)

    user.is_active = False
    user.save()

    user.refresh_from_db()
    assert user.is_active is False
