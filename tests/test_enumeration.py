"""No account enumeration: equal responses and equal work, whether or not an account exists.

The endpoints that take an email address (reset password, reset username, resend activation)
must give the same status and body, run the same SQL, compute no password hash, and render
and send no email before the response, for a known, an unknown, an inactive and an
unusable-password account. Login costs one hash whatever the account. Registration can hide
taken email addresses. Time itself is measured in ``benchmarks/enumeration.py``.
"""

from unittest.mock import ANY

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.signals import request_finished
from django.db import close_old_connections, connection, transaction
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from djoser import flows, outbox
from djoser.conf import settings as djoser_settings
from djoser.views import UserViewSet
from tests.factories import (
    PASSWORD,
    create_user,
    email_field,
    is_email_login_model,
    login_data,
    registration_data,
)
from tests.hashers import count_hashes

User = get_user_model()

pytestmark = pytest.mark.django_db

# The accounts behind each case, by email address.
CASE_EMAILS = {
    "known": "known@example.com",
    "unknown": "nobody@example.com",
    "inactive": "inactive@example.com",
    "unusable": "unusable@example.com",
}

# action -> the cases whose account receives an email from it.
EMAILED_CASES = {
    "reset_password": {"known"},
    # Reset username does not need a usable password.
    "reset_username": {"known", "unusable"},
    # Resend activation is for inactive accounts only.
    "resend_activation": {"inactive"},
}


@pytest.fixture
def accounts(db):
    """Create the known, inactive and unusable-password accounts."""
    create_user(username="known", email=CASE_EMAILS["known"])
    create_user(username="inactive", email=CASE_EMAILS["inactive"], is_active=False)
    unusable = create_user(username="unusable", email=CASE_EMAILS["unusable"])
    unusable.set_unusable_password()
    unusable.save()


@pytest.fixture
def hidden_not_found(djoser_settings):
    djoser_settings(
        PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND=False,
        USERNAME_RESET_SHOW_EMAIL_NOT_FOUND=False,
        SEND_ACTIVATION_EMAIL=True,
    )


class RequestWork:
    """What one request did before its response was closed, and what its closing did."""

    def __init__(self, response, queries, hashes, emails_before, templates_before, emails_after):
        self.response = response
        self.queries = queries
        self.hashes = hashes
        self.emails_before = emails_before
        self.templates_before = templates_before
        self.emails_after = emails_after


def close_response(response):
    """Close ``response`` as a WSGI server does, keeping the test's database connection.

    Django's ``request_finished`` signal, which closing sends, would close the connection
    and end the test's transaction; Django's test client disconnects it the same way.
    """
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def run_action(settings, django_capture_on_commit_callbacks, action, email):
    """Run ``action`` of the user viewset for ``email``; return its ``RequestWork``.

    The view runs as Django's handler runs it: the transaction commits after the view
    returns (as with ATOMIC_REQUESTS), then the response is closed.
    """
    view = UserViewSet.as_view({"post": action})
    request = APIRequestFactory().post(f"/auth/users/{action}/", {"email": email}, format="json")
    rendered = []

    def record_template(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record_template)
    try:
        with count_hashes(settings) as hashes, CaptureQueriesContext(connection) as queries:
            with django_capture_on_commit_callbacks(execute=True):
                response = view(request)
                response.render()
            hash_count = hashes()
        emails_before = len(mail.outbox)
        templates_before = list(rendered)
        close_response(response)
    finally:
        template_rendered.disconnect(record_template)
    sql = [query["sql"].replace(email, "<email>") for query in queries.captured_queries]
    return RequestWork(response, sql, hash_count, emails_before, templates_before, len(mail.outbox))


# Reset password, reset username, resend activation.


@pytest.mark.parametrize("action", ["reset_password", "reset_username", "resend_activation"])
@pytest.mark.parametrize("case", ["known", "inactive", "unusable"])
def test_same_work_for_every_account(
    accounts, hidden_not_found, settings, django_capture_on_commit_callbacks, action, case
):
    baseline = run_action(settings, django_capture_on_commit_callbacks, action, CASE_EMAILS["unknown"])
    mail.outbox.clear()

    work = run_action(settings, django_capture_on_commit_callbacks, action, CASE_EMAILS[case])

    assert work.response.status_code == baseline.response.status_code == 204
    assert work.response.content == baseline.response.content == b""
    assert work.queries == baseline.queries
    assert len(work.queries) == 1
    assert work.hashes == baseline.hashes == 0
    assert work.emails_before == 0
    assert work.templates_before == []
    assert baseline.emails_after == 0
    assert work.emails_after == (1 if case in EMAILED_CASES[action] else 0)


@pytest.mark.parametrize("action", ["reset_password", "reset_username", "resend_activation"])
def test_email_sent_to_account_after_response(
    accounts, hidden_not_found, settings, django_capture_on_commit_callbacks, action
):
    case = sorted(EMAILED_CASES[action])[0]

    work = run_action(settings, django_capture_on_commit_callbacks, action, CASE_EMAILS[case])

    assert work.emails_before == 0
    assert work.emails_after == 1
    assert mail.outbox[0].to == [CASE_EMAILS[case]]


@pytest.mark.django_db(transaction=True)
def test_email_after_response_in_autocommit(accounts, hidden_not_found):
    # No test transaction here: on_commit runs at once, inside the view, as in production
    # without ATOMIC_REQUESTS. The email still waits for the response to close.
    view = UserViewSet.as_view({"post": "reset_password"})
    request = APIRequestFactory().post(
        "/auth/users/reset_password/", {"email": CASE_EMAILS["known"]}, format="json"
    )

    response = view(request)
    response.render()

    assert response.status_code == 204
    assert mail.outbox == []
    close_response(response)
    assert [message.to for message in mail.outbox] == [[CASE_EMAILS["known"]]]


@pytest.mark.django_db(transaction=True)
def test_email_through_client(accounts, hidden_not_found):
    # Django's test client closes the response, as a WSGI server does.
    response = APIClient().post(
        "/auth/users/reset_password/", {"email": CASE_EMAILS["known"]}, format="json"
    )

    assert response.status_code == 204
    assert [message.to for message in mail.outbox] == [[CASE_EMAILS["known"]]]


@pytest.mark.django_db(transaction=True)
def test_flow_outside_view_sends_at_commit():
    user = create_user(username="shell", email="shell@example.com")

    with transaction.atomic():
        flows.send_email("password_reset", user)
        assert mail.outbox == []

    assert [message.to for message in mail.outbox] == [["shell@example.com"]]


def test_rolled_back_email_not_sent(django_capture_on_commit_callbacks):
    user = create_user(username="shell", email="shell@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                flows.send_email("password_reset", user)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass

    assert mail.outbox == []


class FailingAfterCommitView(outbox.SendEmailsAfterResponseMixin, APIView):
    """Commits a change with an email, then fails."""

    permission_classes = ()
    authentication_classes = ()

    def post(self, request):
        flows.send_email("password_reset", User.objects.get(email=request.data["email"]))
        raise RuntimeError("failed after the commit")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(email_field() != "email", reason="the view looks the account up by 'email'")
def test_email_kept_when_view_fails():
    create_user(username="shell", email="shell@example.com")
    request = APIRequestFactory().post("/", {"email": "shell@example.com"}, format="json")

    with pytest.raises(RuntimeError):
        FailingAfterCommitView.as_view()(request)

    assert [message.to for message in mail.outbox] == [["shell@example.com"]]


def test_outbox_closed_sends_at_once():
    sent = []
    box = outbox.Outbox()
    box.add(lambda: sent.append("first"))
    assert sent == []

    box.close()
    box.add(lambda: sent.append("second"))

    assert sent == ["first", "second"]


def test_emails_after_response_unchanged_body(accounts, hidden_not_found, api_client):
    responses = [
        api_client.post("/auth/users/reset_password/", {"email": email}, format="json")
        for email in CASE_EMAILS.values()
    ]

    assert {(response.status_code, response.content) for response in responses} == {(204, b"")}
    assert [message.to for message in mail.outbox] == [[CASE_EMAILS["known"]]]


# Login.


def login_fields():
    """Return the LOGIN_FIELD values to test: the username, and the email where it differs."""
    fields = [User.USERNAME_FIELD]
    if not is_email_login_model():
        fields.append(email_field())
    return fields


@pytest.mark.parametrize("path", ["/auth/token/login/", "/auth/jwt/create/"])
@pytest.mark.parametrize("login_field", login_fields())
@pytest.mark.parametrize("case", ["wrong_password", "unknown", "inactive"])
def test_login_costs_one_hash(api_client, settings, djoser_settings, path, login_field, case):
    djoser_settings(LOGIN_FIELD=login_field, THROTTLING=False)
    user = create_user(username="dora", email="dora@example.com")
    inactive = create_user(username="ida", email="ida@example.com", is_active=False)
    body = {
        # ModelBackend handles the username; djoser's LoginFieldBackend handles the email.
        "wrong_password": login_data(user, password="wrong-password"),
        "unknown": {login_field: getattr(user, login_field) + "x", "password": PASSWORD},
        "inactive": login_data(inactive),
    }[case]

    with count_hashes(settings) as hashes:
        response = api_client.post(path, body, format="json")

    assert response.status_code in (400, 401)
    assert hashes() == 1


@pytest.mark.parametrize("path", ["/auth/token/login/", "/auth/jwt/create/"])
def test_login_failures_same_body(api_client, djoser_settings, path):
    djoser_settings(THROTTLING=False)
    user = create_user(username="dora", email="dora@example.com")
    inactive = create_user(username="ida", email="ida@example.com", is_active=False)
    field = User.USERNAME_FIELD
    bodies = [
        login_data(user, password="wrong-password"),
        {field: getattr(user, field) + "x", "password": PASSWORD},
        login_data(inactive),
    ]

    responses = [api_client.post(path, body, format="json") for body in bodies]

    assert len({(response.status_code, response.content) for response in responses}) == 1


# Registration with REGISTRATION_HIDE_TAKEN_EMAIL.

ACCOUNT_EXISTS_SUBJECT = "Someone tried to sign up on Example with your email address"


def hidden_body(data):
    """Return the body registration gives for ``data`` when it hides taken emails."""
    names = [User.USERNAME_FIELD, djoser_settings.LOGIN_FIELD, *User.REQUIRED_FIELDS]
    return {name: data[name] for name in dict.fromkeys(names)}


@pytest.fixture
def hide_taken(djoser_settings):
    djoser_settings(REGISTRATION_HIDE_TAKEN_EMAIL=True)


def test_register_free_email_hidden_id(api_client, hide_taken, signal_log):
    data = registration_data()

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201, response.content
    assert response.json() == hidden_body(data)
    assert "id" not in response.json()
    created = User.objects.get(**{email_field(): data[email_field()]})
    assert created.check_password(PASSWORD)
    assert signal_log.names() == ["user_registered"]
    assert mail.outbox == []


@pytest.mark.parametrize(
    "spelling",
    [
        # the address as stored
        "john@example.com",
        # other letter case
        "JOHN@Example.com",
    ],
)
def test_register_taken_email_hidden(api_client, user, hide_taken, signal_log, settings, spelling):
    data = registration_data(username="another", email=spelling)
    users_before = User.objects.count()

    with count_hashes(settings) as hashes:
        response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 201, response.content
    assert response.json() == hidden_body(data)
    assert User.objects.count() == users_before
    assert signal_log.calls == []
    # The same hash a real registration costs.
    assert hashes() == 1
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.subject == ACCOUNT_EXISTS_SUBJECT
    assert notice.to == [getattr(user, email_field())]
    assert user.get_username() in notice.body
    assert "No new account was created." in notice.body
    html, mimetype = notice.alternatives[0]
    assert mimetype == "text/html"
    assert "No new account was created." in html


def test_register_hidden_same_response(api_client, user, hide_taken, settings):
    taken = registration_data(username="another", email=getattr(user, email_field()))
    free = registration_data(username="another", email="free@example.com")

    with count_hashes(settings) as hashes:
        taken_response = api_client.post("/auth/users/", taken, format="json")
        taken_hashes = hashes()
    with count_hashes(settings) as hashes:
        free_response = api_client.post("/auth/users/", free, format="json")
        free_hashes = hashes()

    assert taken_response.status_code == free_response.status_code == 201
    assert taken_response.json() == {**free_response.json(), email_field(): taken[email_field()]}
    assert set(taken_response.json()) == set(free_response.json())
    assert taken_hashes == free_hashes == 1


def test_register_hidden_still_validates(api_client, user, hide_taken):
    data = registration_data(username="another", email=getattr(user, email_field()), password="123")

    response = api_client.post("/auth/users/", data, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"password"}
    assert mail.outbox == []


def test_register_hidden_activation(api_client, user, hide_taken, djoser_settings):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)
    taken = registration_data(username="another", email=getattr(user, email_field()))
    free = registration_data(username="third", email="free@example.com")

    assert api_client.post("/auth/users/", taken, format="json").status_code == 201
    assert api_client.post("/auth/users/", free, format="json").status_code == 201

    assert [(message.subject, message.to) for message in mail.outbox] == [
        (ACCOUNT_EXISTS_SUBJECT, [getattr(user, email_field())]),
        (ANY, ["free@example.com"]),
    ]
    assert "Activate" in mail.outbox[1].subject


def test_register_taken_email_default(api_client, user):
    data = registration_data(username="another", email=getattr(user, email_field()))

    response = api_client.post("/auth/users/", data, format="json")

    if is_email_login_model():
        # The email is the username: taken is an error, as without the setting it always was.
        assert response.status_code == 400
        assert set(response.json()) == {User.USERNAME_FIELD}
    else:
        # Several accounts may share an address; the new one gets its id.
        assert response.status_code == 201
        assert djoser_settings.USER_ID_FIELD in response.json()
    assert not [message for message in mail.outbox if message.subject == ACCOUNT_EXISTS_SUBJECT]


def test_account_exists_email_in_german(api_client, user, hide_taken):
    data = registration_data(username="another", email=getattr(user, email_field()))

    response = api_client.post("/auth/users/", data, format="json", HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 201
    notice = mail.outbox[0]
    assert notice.subject == "Jemand hat versucht, sich bei Example mit Ihrer E-Mail-Adresse zu registrieren"
    assert "Es wurde kein neues Konto erstellt." in notice.body
