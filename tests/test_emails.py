"""The email classes: their context, link domain, bodies, pickling and swapping."""

import logging
import pickle
import sys

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import translation

from djoser import email as djoser_email
from djoser.flows import get_site_context
from djoser.tokens import activation_token_generator, username_reset_token_generator
from djoser.utils import encode_uid
from tests.conftest import link_parts
from tests.factories import PASSWORD, email_field, registration_data, username_value

User = get_user_model()

pytestmark = pytest.mark.django_db

HOSTILE_HOST = "attacker.example.net"

# Contexts seen by the recording email classes below, as (class name, context).
rendered_contexts = []


class RecordingMixin:
    """Keep the context of each render, so tests can read what the template saw."""

    def render(self):
        rendered_contexts.append((type(self).__name__, self.get_context_data()))
        super().render()


class RecordingActivationEmail(RecordingMixin, djoser_email.ActivationEmail):
    pass


class RecordingConfirmationEmail(RecordingMixin, djoser_email.ConfirmationEmail):
    pass


class RecordingPasswordResetEmail(RecordingMixin, djoser_email.PasswordResetEmail):
    pass


class RecordingPasswordChangedEmail(
    RecordingMixin, djoser_email.PasswordChangedConfirmationEmail
):
    pass


class RecordingUsernameChangedEmail(
    RecordingMixin, djoser_email.UsernameChangedConfirmationEmail
):
    pass


class RecordingUsernameResetEmail(RecordingMixin, djoser_email.UsernameResetEmail):
    pass


RECORDING_EMAILS = {
    "activation": "tests.test_emails.RecordingActivationEmail",
    "confirmation": "tests.test_emails.RecordingConfirmationEmail",
    "password_reset": "tests.test_emails.RecordingPasswordResetEmail",
    "password_changed_confirmation": "tests.test_emails.RecordingPasswordChangedEmail",
    "username_changed_confirmation": "tests.test_emails.RecordingUsernameChangedEmail",
    "username_reset": "tests.test_emails.RecordingUsernameResetEmail",
}


class PicklingEmailBackend(BaseEmailBackend):
    """A mail back end that pickles each message, as a queued back end would, then keeps it."""

    def send_messages(self, messages):
        for message in messages:
            mail.outbox.append(pickle.loads(pickle.dumps(message)))
        return len(messages)


class ShoutingActivationEmail(djoser_email.ActivationEmail):
    """A project's own activation email: another subject, the same link."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["site_name"] = context["site_name"].upper()
        return context


@pytest.fixture(autouse=True)
def clear_rendered_contexts():
    rendered_contexts.clear()
    yield
    rendered_contexts.clear()


@pytest.fixture
def all_emails_on(djoser_settings):
    djoser_settings(
        SEND_ACTIVATION_EMAIL=True,
        SEND_CONFIRMATION_EMAIL=True,
        PASSWORD_CHANGED_EMAIL_CONFIRMATION=True,
        USERNAME_CHANGED_EMAIL_CONFIRMATION=True,
        EMAIL=RECORDING_EMAILS,
    )


def hostile(client, settings):
    """Send every request of ``client`` with a Host header the attacker chose.

    The host is allowed, as on a server that accepts any Host header, so the request
    reaches djoser instead of being rejected by Django.
    """
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOSTILE_HOST]
    client.defaults["HTTP_HOST"] = HOSTILE_HOST
    client.defaults["wsgi.url_scheme"] = "http"
    return client


def run_every_flow(client):
    """Drive each of the six emails once through the API; return the new user."""
    data = registration_data()
    assert client.post("/auth/users/", data, format="json").status_code == 201
    address = data[email_field()]
    uid, token = link_parts(mail.outbox[-1])
    body = {"uid": uid, "token": token}
    assert client.post("/auth/users/activation/", body, format="json").status_code == 204

    assert client.post("/auth/users/reset_password/", {"email": address}).status_code == 204
    uid, token = link_parts(mail.outbox[-1])
    body = {"uid": uid, "token": token, "new_password": "new-staple-battery"}
    assert client.post("/auth/users/reset_password_confirm/", body).status_code == 204

    field = User.USERNAME_FIELD
    reset_path = f"/auth/users/reset_{field}/"
    assert client.post(reset_path, {"email": address}, format="json").status_code == 204
    uid, token = link_parts(mail.outbox[-1])
    # A new name that keeps the email address of an email-login model unchanged.
    new_name = address if field == email_field() else username_value("renamed")
    body = {"uid": uid, "token": token, f"new_{field}": new_name}
    assert client.post(f"{reset_path[:-1]}_confirm/", body).status_code == 204
    return User.objects.get(**{email_field(): address})


def test_every_email_context(api_client, all_emails_on, settings):
    user = run_every_flow(hostile(api_client, settings))

    names = [name for name, _context in rendered_contexts]
    assert names == [
        "RecordingActivationEmail",
        "RecordingConfirmationEmail",
        "RecordingPasswordResetEmail",
        "RecordingPasswordChangedEmail",
        "RecordingUsernameResetEmail",
        "RecordingUsernameChangedEmail",
    ]
    for name, context in rendered_contexts:
        assert context["user"] == user
        assert context["domain"] == "frontend.example.com"
        assert context["protocol"] == "https"
        assert context["site_name"] == "Example"
    links = {name: context for name, context in rendered_contexts if "url" in context}
    assert set(links) == {
        "RecordingActivationEmail",
        "RecordingPasswordResetEmail",
        "RecordingUsernameResetEmail",
    }
    activation = links["RecordingActivationEmail"]
    assert activation["uid"] == encode_uid(user.pk)
    assert activation["url"] == f"#/activate/{activation['uid']}/{activation['token']}"
    reset = links["RecordingPasswordResetEmail"]
    assert reset["url"] == f"#/password/reset/confirm/{reset['uid']}/{reset['token']}"
    username_reset = links["RecordingUsernameResetEmail"]
    assert username_reset["url"] == (
        f"#/username/reset/confirm/{username_reset['uid']}/{username_reset['token']}"
    )
    for message in mail.outbox:
        assert HOSTILE_HOST not in message.body
        assert HOSTILE_HOST not in message.alternatives[0].content


def test_every_email_bodies(api_client, all_emails_on):
    user = run_every_flow(api_client)

    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        "Activate your account on Example",
        "Your account on Example is active",
        "Reset your password on Example",
        "Your password on Example has changed",
        "Reset your username on Example",
        "Your username on Example has changed",
    ]
    for message in mail.outbox:
        assert message.to == [getattr(user, email_field())]
        assert message.from_email == "noreply@example.com"
        assert message.body.strip()
        assert "<p>" not in message.body
        assert len(message.alternatives) == 1
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert html.startswith("<p>")
    for message in (mail.outbox[0], mail.outbox[2], mail.outbox[4]):
        uid, token = link_parts(message)
        link = link_parts(message.body)
        assert (uid, token) == link
        assert 'href="https://frontend.example.com/#/' in message.alternatives[0].content


@pytest.mark.parametrize(
    ("name", "generator", "url"),
    [
        # Activation: its own generator and ACTIVATION_URL.
        ("activation", activation_token_generator, "#/activate/{uid}/{token}"),
        # Password reset: Django's generator and PASSWORD_RESET_CONFIRM_URL.
        ("password_reset", default_token_generator, "#/password/reset/confirm/{uid}/{token}"),
        # Username reset: its own generator and USERNAME_RESET_CONFIRM_URL.
        (
            "username_reset",
            username_reset_token_generator,
            "#/username/reset/confirm/{uid}/{token}",
        ),
    ],
)
def test_link_email_context(user, name, generator, url):
    email_class = getattr(djoser_email, {
        "activation": "ActivationEmail",
        "password_reset": "PasswordResetEmail",
        "username_reset": "UsernameResetEmail",
    }[name])
    email = email_class(request=None, context={"user": user, **get_site_context()})

    context = email.get_context_data()

    uid = encode_uid(user.pk)
    assert context["uid"] == uid
    assert generator.check_token(user, context["token"])
    assert context["url"] == url.format(uid=uid, token=context["token"])
    assert context["user"] == user
    assert context["domain"] == "frontend.example.com"
    assert context["protocol"] == "https"
    assert context["site_name"] == "Example"


@pytest.mark.parametrize(
    "class_name",
    [
        "ConfirmationEmail",
        "PasswordChangedConfirmationEmail",
        "UsernameChangedConfirmationEmail",
    ],
)
def test_notice_email_has_no_link(user, class_name):
    email = getattr(djoser_email, class_name)(request=None, context={"user": user})

    context = email.get_context_data()

    assert "uid" not in context
    assert "token" not in context
    assert "url" not in context
    assert context["user"] == user


def site_settings(settings, djoser_settings, *, frontend, django_domain, sites):
    """Configure each source of the link domain, on or off."""
    djoser_settings(
        EMAIL_FRONTEND_DOMAIN="frontend.example.com" if frontend else None,
        EMAIL_FRONTEND_SITE_NAME="Front end" if frontend else None,
        EMAIL_FRONTEND_PROTOCOL=None,
    )
    if django_domain:
        settings.DOMAIN = "django-domain.example.com"
        settings.SITE_NAME = "Django domain"
    if sites:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django.contrib.sites"]
        settings.SITE_ID = 1
        from django.contrib.sites.models import SITE_CACHE, Site

        # A cached Site needs no table, which this test database does not have.
        SITE_CACHE[1] = Site(id=1, domain="sites.example.com", name="Sites framework")


@pytest.fixture
def clear_site_cache():
    """Undo what installing the Sites framework for one test left in this process.

    Its models module stays imported and its model registered, so a later test that
    expects the import to fail while the app is not installed would see it succeed.
    """
    was_imported = "django.contrib.sites.models" in sys.modules
    yield
    if was_imported:
        sys.modules["django.contrib.sites.models"].SITE_CACHE.clear()
        return
    module = sys.modules.pop("django.contrib.sites.models", None)
    if module is not None:
        module.SITE_CACHE.clear()
        apps.all_models["sites"].pop("site", None)
        apps.clear_cache()
    # The Sites app registered its SITE_ID check when it was installed; on Django 6.1 that
    # check imports the model, which now fails, so every later system check run would too.
    from django.core.checks.registry import registry

    for check in list(registry.registered_checks):
        if getattr(check, "__module__", "") == "django.contrib.sites.checks":
            registry.registered_checks.discard(check)


@pytest.mark.parametrize(
    ("frontend", "django_domain", "sites", "domain", "site_name"),
    [
        # EMAIL_FRONTEND_DOMAIN wins over everything.
        (True, True, True, "frontend.example.com", "Front end"),
        # Then django-templated-mail's DOMAIN and SITE_NAME settings.
        (False, True, True, "django-domain.example.com", "Django domain"),
        # Then the Sites framework.
        (False, False, True, "sites.example.com", "Sites framework"),
    ],
)
def test_link_domain_order(
    api_client,
    user,
    settings,
    djoser_settings,
    clear_site_cache,
    frontend,
    django_domain,
    sites,
    domain,
    site_name,
):
    site_settings(
        settings, djoser_settings, frontend=frontend, django_domain=django_domain, sites=sites
    )

    response = hostile(api_client, settings).post(
        "/auth/users/reset_password/", {"email": getattr(user, email_field())}, format="json"
    )

    assert response.status_code == 204
    message = mail.outbox[0]
    assert message.subject == f"Reset your password on {site_name}"
    assert f"https://{domain}/#/password/reset/confirm/" in message.body
    assert HOSTILE_HOST not in message.body
    assert HOSTILE_HOST not in message.alternatives[0].content


def test_link_domain_unset(api_client, user, settings, djoser_settings):
    site_settings(settings, djoser_settings, frontend=False, django_domain=False, sites=False)

    response = hostile(api_client, settings).post(
        "/auth/users/reset_password/", {"email": getattr(user, email_field())}, format="json"
    )

    # With no domain configured the link is relative to nothing, but it never borrows the
    # request's host.
    assert response.status_code == 204
    assert HOSTILE_HOST not in mail.outbox[0].body
    assert "https:///#/password/reset/confirm/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("protocol", "expected"),
    [
        # Unset: links use https.
        (None, "https"),
        # Set: used as it is, even for a request that came over https.
        ("http", "http"),
    ],
)
def test_link_protocol(api_client, user, djoser_settings, protocol, expected):
    djoser_settings(EMAIL_FRONTEND_PROTOCOL=protocol)

    api_client.post(
        "/auth/users/reset_password/",
        {"email": getattr(user, email_field())},
        format="json",
        secure=True,
    )

    assert f"{expected}://frontend.example.com/#/password/reset/" in mail.outbox[0].body


def test_site_name_escaped_in_html(api_client, user, djoser_settings):
    djoser_settings(EMAIL_FRONTEND_SITE_NAME="Fish & <Chips>")

    api_client.post(
        "/auth/users/reset_password/", {"email": getattr(user, email_field())}, format="json"
    )

    message = mail.outbox[0]
    assert message.subject == "Reset your password on Fish & <Chips>"
    assert "on Fish & <Chips>." in message.body
    assert "on Fish &amp; &lt;Chips&gt;." in message.alternatives[0].content
    assert "<Chips>" not in message.alternatives[0].content


def test_emails_through_pickling_backend(api_client, all_emails_on, settings):
    settings.EMAIL_BACKEND = "tests.test_emails.PicklingEmailBackend"

    user = run_every_flow(api_client)

    assert len(mail.outbox) == 6
    for message in mail.outbox:
        assert message.request is None
        assert message.to == [getattr(user, email_field())]
    assert link_parts(mail.outbox[0])[0] == encode_uid(user.pk)


def test_email_pickles_before_sending(user):
    email = djoser_email.PasswordResetEmail(
        request=None, context={"user": user, **get_site_context()}
    )

    copy = pickle.loads(pickle.dumps(email))
    copy.send([getattr(user, email_field())])

    assert copy.request is None
    uid, token = link_parts(mail.outbox[0])
    assert uid == encode_uid(user.pk)
    assert default_token_generator.check_token(user, token)


def test_swapped_email_class(api_client, djoser_settings):
    djoser_settings(
        SEND_ACTIVATION_EMAIL=True,
        SEND_CONFIRMATION_EMAIL=True,
        EMAIL={"activation": "tests.test_emails.ShoutingActivationEmail"},
    )

    assert api_client.post("/auth/users/", registration_data(), format="json").status_code == 201

    assert mail.outbox[0].subject == "Activate your account on EXAMPLE"
    uid, token = link_parts(mail.outbox[0])
    response = api_client.post("/auth/users/activation/", {"uid": uid, "token": token})
    assert response.status_code == 204
    # The other entries of EMAIL keep their defaults.
    assert mail.outbox[1].subject == "Your account on Example is active"


def test_project_template_override(api_client, user, settings, tmp_path):
    (tmp_path / "email").mkdir()
    (tmp_path / "email" / "password_reset.html").write_text(
        "{% block subject %}Own subject{% endblock %}"
        "{% block text_body %}Go to {{ protocol }}://{{ domain }}/{{ url }}{% endblock %}"
        "{% block html_body %}<p>{{ url }}</p>{% endblock %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]

    api_client.post(
        "/auth/users/reset_password/", {"email": getattr(user, email_field())}, format="json"
    )

    message = mail.outbox[0]
    assert message.subject == "Own subject"
    assert message.body.startswith("Go to https://frontend.example.com/#/password/reset/")
    assert link_parts(message)[0] == encode_uid(user.pk)


@pytest.mark.parametrize(
    ("url_setting", "name", "trigger", "status"),
    [
        # Registration with activation: the account is still created.
        ("ACTIVATION_URL", "activation", "register", 201),
        # Password reset: the usual 204.
        ("PASSWORD_RESET_CONFIRM_URL", "password_reset", "reset_password", 204),
        # Username reset: the usual 204.
        ("USERNAME_RESET_CONFIRM_URL", "username_reset", "reset_username", 204),
    ],
)
def test_missing_url_template(
    api_client, user, djoser_settings, caplog, url_setting, name, trigger, status
):
    djoser_settings(SEND_ACTIVATION_EMAIL=True, **{url_setting: None})
    address = getattr(user, email_field())
    caplog.set_level(logging.ERROR, logger="djoser")

    if trigger == "register":
        data = registration_data()
        response = api_client.post("/auth/users/", data, format="json")
        account = User.objects.get(**{email_field(): data[email_field()]})
    else:
        reset_field = User.USERNAME_FIELD if trigger == "reset_username" else "password"
        path = f"/auth/users/reset_{reset_field}/"
        response = api_client.post(path, {"email": address}, format="json")
        account = user

    assert response.status_code == status
    assert mail.outbox == []
    records = [record for record in caplog.records if record.name.startswith("djoser")]
    assert len(records) == 1
    assert records[0].levelno == logging.ERROR
    text = records[0].getMessage()
    assert name in text
    assert str(account.pk) in text
    assert url_setting in text


@pytest.fixture
def restore_language():
    language = translation.get_language()
    yield
    # LocaleMiddleware leaves the request's language active in this thread.
    translation.activate(language)


def test_language_of_request_kept(api_client, user, settings, restore_language):
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]

    api_client.post(
        "/auth/users/reset_password/",
        {"email": getattr(user, email_field())},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    # The email is rendered after the request, once the change commits, in its language.
    with translation.override("fr"):
        subject = translation.gettext("Reset your password on %(site_name)s")
    assert subject != "Reset your password on %(site_name)s"
    assert mail.outbox[0].subject == subject % {"site_name": "Example"}


def test_confirmation_password_unchanged(api_client, user, djoser_settings):
    djoser_settings(PASSWORD_CHANGED_EMAIL_CONFIRMATION=True)
    api_client.force_authenticate(user)

    response = api_client.post(
        "/auth/users/set_password/",
        {"new_password": PASSWORD + "x", "current_password": "wrong"},
        format="json",
    )

    # A rejected change sends no email.
    assert response.status_code == 400
    assert mail.outbox == []
