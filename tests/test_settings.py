"""The ``DJOSER`` settings object: defaults, merging, lazy imports, reloading and checks."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import Warning, run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.signals import setting_changed
from django.test import override_settings
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated

from djoser import constants, email, permissions
from djoser import serializers as djoser_serializers
from djoser.conf import DEFAULTS, reload_djoser_settings
from djoser.conf import settings as djoser_settings
from tests.factories import login_data, registration_data, user_body

User = get_user_model()


class GreetingUserSerializer(djoser_serializers.CurrentUserSerializer):
    """The current user with one more, computed field."""

    greeting = serializers.SerializerMethodField()

    def get_greeting(self, user):
        return "hello"


class LoudMessages(constants.Messages):
    INVALID_CREDENTIALS_ERROR = "No such login."


class OtherActivationEmail(email.ActivationEmail):
    """An activation email class that a project swaps in."""


# Every setting with a plain default, as the settings reference documents it.
PLAIN_DEFAULTS = {
    "HIDE_USERS": True,
    "CREATE_SESSION_ON_LOGIN": False,
    "LOGOUT_ON_PASSWORD_CHANGE": False,
    "SEND_ACTIVATION_EMAIL": False,
    "SEND_CONFIRMATION_EMAIL": False,
    "PASSWORD_CHANGED_EMAIL_CONFIRMATION": False,
    "USERNAME_CHANGED_EMAIL_CONFIRMATION": False,
    "ACTIVATION_URL": None,
    "PASSWORD_RESET_CONFIRM_URL": None,
    "USERNAME_RESET_CONFIRM_URL": None,
    "EMAIL_FRONTEND_DOMAIN": None,
    "EMAIL_FRONTEND_PROTOCOL": None,
    "EMAIL_FRONTEND_SITE_NAME": None,
    "USER_CREATE_PASSWORD_RETYPE": False,
    "SET_PASSWORD_RETYPE": False,
    "PASSWORD_RESET_CONFIRM_RETYPE": False,
    "SET_USERNAME_RETYPE": False,
    "USERNAME_RESET_CONFIRM_RETYPE": False,
    "PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND": False,
    "USERNAME_RESET_SHOW_EMAIL_NOT_FOUND": False,
    "REGISTRATION_HIDE_TAKEN_EMAIL": False,
    "USER_EMAIL_FIELD_NAME": "email",
    "SOCIAL_AUTH_ALLOWED_REDIRECT_URIS": [],
    "WEBAUTHN": {},
}

SERIALIZER_DEFAULTS = {
    "activation": "djoser.serializers.ActivationSerializer",
    "password_reset": "djoser.serializers.SendEmailResetSerializer",
    "password_reset_confirm": "djoser.serializers.PasswordResetConfirmSerializer",
    "password_reset_confirm_retype": "djoser.serializers.PasswordResetConfirmRetypeSerializer",
    "set_password": "djoser.serializers.SetPasswordSerializer",
    "set_password_retype": "djoser.serializers.SetPasswordRetypeSerializer",
    "set_username": "djoser.serializers.SetUsernameSerializer",
    "set_username_retype": "djoser.serializers.SetUsernameRetypeSerializer",
    "username_reset": "djoser.serializers.SendEmailResetSerializer",
    "username_reset_confirm": "djoser.serializers.UsernameResetConfirmSerializer",
    "username_reset_confirm_retype": "djoser.serializers.UsernameResetConfirmRetypeSerializer",
    "user_create": "djoser.serializers.UserCreateSerializer",
    "user_create_password_retype": "djoser.serializers.UserCreatePasswordRetypeSerializer",
    "user_delete": "djoser.serializers.UserDeleteSerializer",
    "user": "djoser.serializers.UserSerializer",
    "current_user": "djoser.serializers.CurrentUserSerializer",
    "token": "djoser.serializers.TokenSerializer",
    "token_create": "djoser.serializers.TokenCreateSerializer",
    "provider_auth": "djoser.social.serializers.ProviderAuthSerializer",
}

EMAIL_DEFAULTS = {
    "activation": email.ActivationEmail,
    "confirmation": email.ConfirmationEmail,
    "password_reset": email.PasswordResetEmail,
    "password_changed_confirmation": email.PasswordChangedConfirmationEmail,
    "username_changed_confirmation": email.UsernameChangedConfirmationEmail,
    "username_reset": email.UsernameResetEmail,
    "account_exists": email.AccountExistsEmail,
}

CURRENT_USER_OR_ADMIN = [permissions.CurrentUserOrAdmin]

PERMISSION_DEFAULTS = {
    "activation": [AllowAny],
    "password_reset": [AllowAny],
    "password_reset_confirm": [AllowAny],
    "set_password": CURRENT_USER_OR_ADMIN,
    "username_reset": [AllowAny],
    "username_reset_confirm": [AllowAny],
    "set_username": CURRENT_USER_OR_ADMIN,
    "user_create": [AllowAny],
    "user_delete": CURRENT_USER_OR_ADMIN,
    "user": CURRENT_USER_OR_ADMIN,
    "user_list": CURRENT_USER_OR_ADMIN,
    "token_create": [AllowAny],
    "token_destroy": [IsAuthenticated],
}


@pytest.fixture
def no_djoser_settings(settings):
    """Run the test with no ``DJOSER`` setting at all, so every default applies."""
    del settings.DJOSER


@pytest.mark.parametrize("name, value", PLAIN_DEFAULTS.items())
def test_plain_default(no_djoser_settings, name, value):
    assert getattr(djoser_settings, name) == value


def test_user_model_defaults(no_djoser_settings):
    assert djoser_settings.LOGIN_FIELD == User.USERNAME_FIELD
    assert djoser_settings.USER_ID_FIELD == User._meta.pk.name


def test_imported_defaults(no_djoser_settings):
    from djoser.social.token.jwt import TokenStrategy

    assert djoser_settings.TOKEN_MODEL is Token
    assert djoser_settings.SOCIAL_AUTH_TOKEN_STRATEGY is TokenStrategy


@pytest.mark.parametrize("name, path", SERIALIZER_DEFAULTS.items())
def test_serializer_default(no_djoser_settings, name, path):
    module_path, class_name = path.rsplit(".", 1)
    module = __import__(module_path, fromlist=[class_name])

    assert djoser_settings.SERIALIZERS[name] == path
    assert getattr(djoser_settings.SERIALIZERS, name) is getattr(module, class_name)


def test_serializer_keys(no_djoser_settings):
    assert set(djoser_settings.SERIALIZERS) == set(SERIALIZER_DEFAULTS)


@pytest.mark.parametrize("name, email_class", EMAIL_DEFAULTS.items())
def test_email_default(no_djoser_settings, name, email_class):
    assert getattr(djoser_settings.EMAIL, name) is email_class


def test_email_keys(no_djoser_settings):
    assert set(djoser_settings.EMAIL) == set(EMAIL_DEFAULTS)


@pytest.mark.parametrize("name, classes", PERMISSION_DEFAULTS.items())
def test_permission_default(no_djoser_settings, name, classes):
    assert getattr(djoser_settings.PERMISSIONS, name) == classes


def test_permission_keys(no_djoser_settings):
    assert set(djoser_settings.PERMISSIONS) == set(PERMISSION_DEFAULTS)


def test_constants_default(no_djoser_settings):
    assert djoser_settings.CONSTANTS.messages is constants.Messages
    assert dict(djoser_settings.CONSTANTS) == {"messages": "djoser.constants.Messages"}


def test_unknown_setting_raises(no_djoser_settings):
    with pytest.raises(AttributeError, match="'NOT_A_SETTING'"):
        djoser_settings.NOT_A_SETTING


def test_unknown_dict_entry_raises(no_djoser_settings):
    with pytest.raises(AttributeError, match=r"DJOSER\['SERIALIZERS'\] has no entry 'nope'"):
        djoser_settings.SERIALIZERS.nope


def test_get_reads_setting(settings):
    settings.DJOSER = {"HIDE_USERS": False}

    assert djoser_settings.get("HIDE_USERS") is False


@pytest.mark.parametrize(
    "key, entry, value, expected",
    [
        # a dotted path
        ("SERIALIZERS", "user", "tests.test_settings.GreetingUserSerializer", GreetingUserSerializer),
        # a class given as it is, not as a path
        ("SERIALIZERS", "user", GreetingUserSerializer, GreetingUserSerializer),
        ("EMAIL", "activation", "tests.test_settings.OtherActivationEmail", OtherActivationEmail),
        # a list of dotted paths
        ("PERMISSIONS", "user", ["rest_framework.permissions.AllowAny"], [AllowAny]),
        ("CONSTANTS", "messages", "tests.test_settings.LoudMessages", LoudMessages),
    ],
)
def test_dict_setting_merges_over_defaults(settings, key, entry, value, expected):
    settings.DJOSER = {key: {entry: value}}

    merged = getattr(djoser_settings, key)
    assert getattr(merged, entry) == expected
    assert dict(merged) == {**DEFAULTS[key], entry: value}


def test_merge_keeps_other_defaults(settings):
    settings.DJOSER = {
        "SERIALIZERS": {"user": "tests.test_settings.GreetingUserSerializer"},
        "PERMISSIONS": {"user_list": ["rest_framework.permissions.AllowAny"]},
    }

    assert djoser_settings.SERIALIZERS.user is GreetingUserSerializer
    assert djoser_settings.SERIALIZERS.current_user is djoser_serializers.CurrentUserSerializer
    assert djoser_settings.SERIALIZERS["token"] == SERIALIZER_DEFAULTS["token"]
    assert set(djoser_settings.SERIALIZERS) == set(SERIALIZER_DEFAULTS)
    assert djoser_settings.PERMISSIONS.user_list == [AllowAny]
    assert djoser_settings.PERMISSIONS.user == CURRENT_USER_OR_ADMIN
    assert set(djoser_settings.PERMISSIONS) == set(PERMISSION_DEFAULTS)


def test_merge_adds_new_entries(settings):
    settings.DJOSER = {"SERIALIZERS": {"profile": "tests.test_settings.GreetingUserSerializer"}}

    assert djoser_settings.SERIALIZERS.profile is GreetingUserSerializer
    assert set(djoser_settings.SERIALIZERS) == set(SERIALIZER_DEFAULTS) | {"profile"}


# (setting, entry or None, value, the failing dotted path, the key named in the error).
BROKEN_PATHS = [
    # a module that does not exist
    ("SERIALIZERS", "user", "no_such_module.Serializer", "no_such_module.Serializer", "DJOSER['SERIALIZERS']['user']"),
    # a class missing from a module that exists
    ("EMAIL", "activation", "djoser.email.NoSuchEmail", "djoser.email.NoSuchEmail", "DJOSER['EMAIL']['activation']"),
    # one bad entry in a list of paths
    (
        "PERMISSIONS",
        "user",
        ["rest_framework.permissions.AllowAny", "no.such.Permission"],
        "no.such.Permission",
        "DJOSER['PERMISSIONS']['user']",
    ),
    ("CONSTANTS", "messages", "djoser.constants.Nope", "djoser.constants.Nope", "DJOSER['CONSTANTS']['messages']"),
    ("TOKEN_MODEL", None, "no_such_app.models.Token", "no_such_app.models.Token", "DJOSER['TOKEN_MODEL']"),
    # a model of an app missing from INSTALLED_APPS (flatpages, which no test installs)
    (
        "TOKEN_MODEL",
        None,
        "django.contrib.flatpages.models.FlatPage",
        "django.contrib.flatpages.models.FlatPage",
        "DJOSER['TOKEN_MODEL']",
    ),
    # not a dotted path at all
    ("SOCIAL_AUTH_TOKEN_STRATEGY", None, "strategy", "strategy", "DJOSER['SOCIAL_AUTH_TOKEN_STRATEGY']"),
]


@pytest.mark.parametrize("name, entry, value, path, key", BROKEN_PATHS)
def test_broken_path_names_key_and_path(settings, name, entry, value, path, key):
    settings.DJOSER = {name: {entry: value} if entry else value}

    # Reading another setting imports nothing, so a project with a bad path still starts.
    assert djoser_settings.HIDE_USERS is True
    with pytest.raises(ImproperlyConfigured) as raised:
        if entry:
            getattr(getattr(djoser_settings, name), entry)
        else:
            getattr(djoser_settings, name)

    message = str(raised.value)
    assert key in message
    assert repr(path) in message


@pytest.mark.django_db
def test_broken_path_hurts_only_its_endpoint(settings, auth_client, user):
    settings.DJOSER = {"SERIALIZERS": {"token_create": "no_such_module.LoginSerializer"}}

    response = auth_client.get("/auth/users/me/")
    assert response.status_code == 200
    assert response.json() == user_body(user)

    with pytest.raises(ImproperlyConfigured, match=r"DJOSER\['SERIALIZERS'\]\['token_create'\]"):
        auth_client.post("/auth/token/login/", login_data(user), format="json")


def djoser_messages(**check_kwargs):
    """Return the system check messages djoser reports, as (id, msg) pairs."""
    return [
        (message.id, message.msg)
        for message in run_checks(**{"databases": [], **check_kwargs})
        if message.id and message.id.startswith("djoser.")
    ]


def test_unknown_key_warns(settings):
    settings.DJOSER = {**settings.DJOSER, "HIDE_USER": False, "TOKEN_MODLE": None}

    messages = djoser_messages()

    assert ("djoser.W001", "DJOSER['HIDE_USER'] is not a djoser setting and is ignored.") in messages
    assert ("djoser.W001", "DJOSER['TOKEN_MODLE'] is not a djoser setting and is ignored.") in messages
    assert [message for message in messages if message[0] == "djoser.W001"] == [
        ("djoser.W001", "DJOSER['HIDE_USER'] is not a djoser setting and is ignored."),
        ("djoser.W001", "DJOSER['TOKEN_MODLE'] is not a djoser setting and is ignored."),
    ]


@pytest.mark.django_db  # Django 6.1's "check" command opens the database connections.
def test_unknown_key_is_a_warning(settings):
    settings.DJOSER = {**settings.DJOSER, "SOME_FUTURE_SETTING": True}

    warnings = [message for message in run_checks(databases=[]) if message.id == "djoser.W001"]
    assert len(warnings) == 1
    assert isinstance(warnings[0], Warning)
    # A warning does not fail "manage.py check", so the project still starts.
    output = io.StringIO()
    call_command("check", stdout=output, stderr=output)
    assert "djoser.W001" in output.getvalue()


@pytest.mark.parametrize(
    "keys",
    [
        # the settings of the 1.x documentation
        {
            "PASSWORD_RESET_CONFIRM_URL": "#/password/reset/confirm/{uid}/{token}",
            "SEND_ACTIVATION_EMAIL": False,
            "SEND_CONFIRMATION_EMAIL": False,
            "ACTIVATION_URL": "#/activate/{uid}/{token}",
            "SET_USERNAME_RETYPE": False,
            "SET_PASSWORD_RETYPE": False,
            "PASSWORD_RESET_CONFIRM_RETYPE": False,
            "LOGOUT_ON_PASSWORD_CHANGE": False,
            "USER_EMAIL_FIELD_NAME": "email",
            "PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND": False,
            "TOKEN_MODEL": "rest_framework.authtoken.models.Token",
            "SERIALIZERS": {},
            "EMAIL": {},
            "SOCIAL_AUTH_TOKEN_STRATEGY": "djoser.social.token.jwt.TokenStrategy",
            "SOCIAL_AUTH_ALLOWED_REDIRECT_URIS": [],
        },
        # settings that only 2.x reads
        {
            "LOGIN_FIELD": User.USERNAME_FIELD,
            "USER_ID_FIELD": User._meta.pk.name,
            "HIDE_USERS": True,
            "CREATE_SESSION_ON_LOGIN": False,
            "USER_CREATE_PASSWORD_RETYPE": False,
            "USERNAME_RESET_CONFIRM_URL": "#/username/reset/confirm/{uid}/{token}",
            "USERNAME_RESET_CONFIRM_RETYPE": False,
            "USERNAME_RESET_SHOW_EMAIL_NOT_FOUND": False,
            "PASSWORD_CHANGED_EMAIL_CONFIRMATION": False,
            "USERNAME_CHANGED_EMAIL_CONFIRMATION": False,
            "PERMISSIONS": {},
            "CONSTANTS": {},
            "EMAIL_FRONTEND_DOMAIN": "frontend.example.com",
            "EMAIL_FRONTEND_PROTOCOL": "https",
            "EMAIL_FRONTEND_SITE_NAME": "Example",
            "WEBAUTHN": {"RP_NAME": "Example"},
        },
    ],
    ids=["1.x", "2.x"],
)
def test_known_keys_do_not_warn(settings, keys):
    settings.DJOSER = keys

    assert [message for message in djoser_messages() if message[0] == "djoser.W001"] == []


@pytest.mark.django_db
def test_override_settings_reloads_views(auth_client, user, other_user):
    def listed():
        response = auth_client.get("/auth/users/")
        assert response.status_code == 200
        return response.json()

    assert listed() == [user_body(user)]
    with override_settings(DJOSER={"HIDE_USERS": False}):
        # The list is ordered by primary key.
        assert listed() == [user_body(each) for each in sorted([user, other_user], key=lambda u: u.pk)]
    assert listed() == [user_body(user)]


@pytest.mark.django_db
def test_settings_fixture_reloads_permissions(settings, api_client, user):
    response = api_client.get("/auth/users/")
    assert response.status_code == 401

    settings.DJOSER = {"HIDE_USERS": False, "PERMISSIONS": {"user_list": ["rest_framework.permissions.AllowAny"]}}
    response = api_client.get("/auth/users/")

    assert response.status_code == 200
    assert response.json() == [user_body(user)]


@pytest.mark.django_db
def test_settings_fixture_reloads_serializers(settings, auth_client, user):
    settings.DJOSER = {"SERIALIZERS": {"current_user": "tests.test_settings.GreetingUserSerializer"}}

    response = auth_client.get("/auth/users/me/")

    assert response.status_code == 200
    assert response.json() == {**user_body(user), "greeting": "hello"}


@pytest.mark.django_db
def test_settings_fixture_reloads_retype(settings, api_client):
    data = registration_data()
    settings.DJOSER = {"USER_CREATE_PASSWORD_RETYPE": True}

    response = api_client.post("/auth/users/", data, format="json")
    assert response.status_code == 400
    assert response.json() == {"re_password": ["This field is required."]}

    settings.DJOSER = {"USER_CREATE_PASSWORD_RETYPE": False}
    response = api_client.post("/auth/users/", data, format="json")
    assert response.status_code == 201


@pytest.mark.django_db
def test_settings_fixture_reloads_messages(settings, api_client, user):
    settings.DJOSER = {"CONSTANTS": {"messages": "tests.test_settings.LoudMessages"}}

    response = api_client.post(
        "/auth/token/login/", login_data(user, password="wrong-password"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["No such login."]}


@pytest.mark.django_db
def test_settings_fixture_reloads_urls(settings, auth_client, user):
    """``USER_ID_FIELD`` changes the lookup of ``users/{id}/`` without new URL patterns."""
    username = getattr(user, User.USERNAME_FIELD)
    settings.DJOSER = {"USER_ID_FIELD": User.USERNAME_FIELD}

    response = auth_client.get(f"/auth/users/{username}/")
    assert response.status_code == 200
    assert response.json() == user_body(user)

    response = auth_client.get(f"/auth/users/{username}")
    assert response.status_code == 200

    del settings.DJOSER
    response = auth_client.get(f"/auth/users/{username}/")
    assert response.status_code == 404
    response = auth_client.get(f"/auth/users/{user.pk}/")
    assert response.status_code == 200


def test_setting_changed_reloads(settings):
    from django.conf import settings as django_settings

    settings.DJOSER = {"HIDE_USERS": True}
    assert djoser_settings.HIDE_USERS is True

    # A change in place sends no signal, so the cached value stays until one is sent.
    django_settings.DJOSER["HIDE_USERS"] = False
    assert djoser_settings.HIDE_USERS is True

    setting_changed.send(sender=None, setting="DJOSER", value=django_settings.DJOSER, enter=True)
    assert djoser_settings.HIDE_USERS is False


def test_reload_function_callable_directly(settings):
    settings.DJOSER = {"HIDE_USERS": True}
    assert djoser_settings.HIDE_USERS is True

    # A change that sends no setting_changed signal is not seen until the reload.
    from django.conf import settings as django_settings

    django_settings.DJOSER["HIDE_USERS"] = False
    assert djoser_settings.HIDE_USERS is True

    reload_djoser_settings(setting="SOMETHING_ELSE", value=None)
    assert djoser_settings.HIDE_USERS is True

    reload_djoser_settings(setting="DJOSER", value=django_settings.DJOSER)
    assert djoser_settings.HIDE_USERS is False


def test_removed_setting_noticed(settings):
    settings.DJOSER = {"HIDE_USERS": False}
    assert djoser_settings.HIDE_USERS is False

    # pytest-django's "del" sends no setting_changed signal.
    del settings.DJOSER

    assert djoser_settings.HIDE_USERS is True


def test_reload_on_user_model_change(settings):
    from django.conf import settings as django_settings

    settings.DJOSER = {}
    assert djoser_settings.HIDE_USERS is True

    django_settings.DJOSER["HIDE_USERS"] = False
    reload_djoser_settings(setting="AUTH_USER_MODEL", value=django_settings.AUTH_USER_MODEL, enter=True)

    assert djoser_settings.HIDE_USERS is False


def url_template_warnings():
    return sorted(msg for check_id, msg in djoser_messages() if check_id == "djoser.W002")


def url_template_message(name):
    return f"DJOSER[{name!r}] is not set, so the emails that need it are not sent."


@pytest.mark.parametrize(
    "djoser_values, expected",
    [
        # every template set
        (
            {
                "SEND_ACTIVATION_EMAIL": True,
                "ACTIVATION_URL": "#/a/{uid}/{token}",
                "PASSWORD_RESET_CONFIRM_URL": "#/p/{uid}/{token}",
                "USERNAME_RESET_CONFIRM_URL": "#/u/{uid}/{token}",
            },
            [],
        ),
        # activation is on but has no template
        (
            {
                "SEND_ACTIVATION_EMAIL": True,
                "PASSWORD_RESET_CONFIRM_URL": "#/p/{uid}/{token}",
                "USERNAME_RESET_CONFIRM_URL": "#/u/{uid}/{token}",
            },
            ["ACTIVATION_URL"],
        ),
        # activation is off, so its template is not needed
        (
            {
                "PASSWORD_RESET_CONFIRM_URL": "#/p/{uid}/{token}",
                "USERNAME_RESET_CONFIRM_URL": "#/u/{uid}/{token}",
            },
            [],
        ),
        # reset password and reset username are routed and have no template
        ({}, ["PASSWORD_RESET_CONFIRM_URL", "USERNAME_RESET_CONFIRM_URL"]),
    ],
)
def test_url_template_check(settings, djoser_values, expected):
    settings.DJOSER = {"EMAIL_FRONTEND_DOMAIN": "frontend.example.com", **djoser_values}

    assert url_template_warnings() == sorted(url_template_message(name) for name in expected)


@pytest.mark.parametrize(
    "urlconf, expected",
    [
        # token URLs only: no endpoint that emails a link
        ("djoser.urls.authtoken", []),
        # a 1.x urls.py that routes reset password but not reset username
        ("tests.apps.legacy_urls.urls", ["PASSWORD_RESET_CONFIRM_URL"]),
        # every URL module
        ("tests.urls", ["PASSWORD_RESET_CONFIRM_URL", "USERNAME_RESET_CONFIRM_URL"]),
    ],
)
def test_url_template_check_reads_routes(settings, urlconf, expected):
    settings.ROOT_URLCONF = urlconf
    settings.DJOSER = {"EMAIL_FRONTEND_DOMAIN": "frontend.example.com"}

    assert url_template_warnings() == sorted(url_template_message(name) for name in expected)


def test_url_template_hint(settings):
    settings.DJOSER = {}
    warnings = [message for message in run_checks(databases=[]) if message.id == "djoser.W002"]
    assert warnings
    for warning in warnings:
        assert "{uid}" in warning.hint
        assert "{token}" in warning.hint


EMAIL_DOMAIN_WARNING = ("djoser.W003", "djoser has no domain for the links in its emails.")


@pytest.mark.parametrize(
    "changes, warns",
    [
        # no domain anywhere
        ({}, True),
        # djoser's own setting
        ({"DJOSER": {"EMAIL_FRONTEND_DOMAIN": "frontend.example.com"}}, False),
        # django-templated-mail's setting
        ({"DOMAIN": "frontend.example.com"}, False),
        # no routed endpoint sends email
        ({"ROOT_URLCONF": "djoser.urls.jwt"}, False),
    ],
)
def test_email_domain_check(settings, changes, warns):
    settings.DJOSER = {}
    for name, value in changes.items():
        setattr(settings, name, value)

    assert (EMAIL_DOMAIN_WARNING in djoser_messages()) is warns


def test_email_domain_check_accepts_sites(settings):
    settings.DJOSER = {}
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django.contrib.sites"]

    assert EMAIL_DOMAIN_WARNING not in djoser_messages()


def test_suite_settings_pass_checks():
    assert djoser_messages() == []
