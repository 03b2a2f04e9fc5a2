"""The least work per request: exact query counts, one transaction, and narrow UPDATEs.

The counts hold with DRF's token and without SimpleJWT's blacklist app, which the suite
installs and this module removes, because the blacklist adds queries of its own. Counts
are data queries: SAVEPOINT, RELEASE, BEGIN and COMMIT statements are left out, since
pytest-django's test transaction turns every ``atomic`` block into a savepoint. Tests that
check "one transaction" use a transactional test database, where BEGIN and COMMIT are real
and Django records them among the captured queries.
"""

import json
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection
from django.test import modify_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.pagination import PageNumberPagination
from rest_framework_simplejwt import serializers as jwt_serializers

from djoser import flows
from djoser.compat import get_user_email
from djoser.tokens import activation_token_generator, username_reset_token_generator
from djoser.utils import encode_uid
from tests import factories
from tests.factories import PASSWORD

User = get_user_model()

TRANSACTION_STATEMENTS = (
    "SAVEPOINT",
    "RELEASE SAVEPOINT",
    "ROLLBACK TO SAVEPOINT",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
)

NEW_PASSWORD = "another-horse-battery"

# users/me/ shows the email field as writable unless the email is the username, which
# changes through set username instead.
needs_writable_email = pytest.mark.skipif(
    factories.is_email_login_model(),
    reason="the email is the USERNAME_FIELD, so users/me/ has no writable field",
)


@pytest.fixture(autouse=True)
def without_blacklist():
    with modify_settings(INSTALLED_APPS={"remove": ["rest_framework_simplejwt.token_blacklist"]}):
        yield


def is_transaction_statement(sql):
    return sql.upper().startswith(TRANSACTION_STATEMENTS)


def data_queries(context):
    """Return the SQL of the captured queries, without transaction statements."""
    return [q["sql"] for q in context.captured_queries if not is_transaction_statement(q["sql"])]


@contextmanager
def capture():
    """Capture every statement the default connection runs inside the block."""
    with CaptureQueriesContext(connection) as context:
        yield context


def updated_columns(sql):
    """Return the column names an UPDATE statement sets, in order."""
    assert sql.startswith("UPDATE"), sql
    set_clause = sql.split(" SET ", 1)[1].rsplit(" WHERE ", 1)[0]
    return re.findall(r'"(\w+)" = ', set_clause)


def updates(queries):
    return [sql for sql in queries if sql.startswith("UPDATE")]


def related_required_fields():
    """Return the REQUIRED_FIELDS that are foreign keys; registration looks each one up."""
    return [
        name for name in User.REQUIRED_FIELDS if User._meta.get_field(name).is_relation
    ]


def put_body(user, changes):
    """Return a PUT body for users/me/: the user's required fields as read, with ``changes``."""
    body = {name: factories.to_json(getattr(user, name)) for name in User.REQUIRED_FIELDS}
    return {**body, **changes}


def token_client(client, user):
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def outside_transaction(context):
    """Assert the block ran one transaction; return the data statements outside it."""
    statements = [q["sql"] for q in context.captured_queries]
    assert statements.count("BEGIN") == 1, statements
    assert statements.count("COMMIT") == 1, statements
    begin = statements.index("BEGIN")
    commit = statements.index("COMMIT")
    return [
        sql
        for index, sql in enumerate(statements)
        if not begin < index < commit and not is_transaction_statement(sql)
    ]


# --- Logins -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_token_login_repeat(api_client, user):
    Token.objects.create(user=user)

    with capture() as context:
        response = api_client.post("/auth/token/login/", factories.login_data(user), format="json")

    assert response.status_code == 200
    queries = data_queries(context)
    # Find the user, find the token, record last_login.
    assert len(queries) == 3, queries
    assert queries[0].startswith("SELECT")
    assert f'FROM "{User._meta.db_table}"' in queries[0]
    assert queries[1].startswith("SELECT")
    assert 'FROM "authtoken_token"' in queries[1]
    assert updated_columns(queries[2]) == ["last_login"]


@pytest.mark.django_db
def test_token_login_first(api_client, user):
    with capture() as context:
        response = api_client.post("/auth/token/login/", factories.login_data(user), format="json")

    assert response.status_code == 200
    queries = data_queries(context)
    # The first login also inserts the user's token row, once for the account's lifetime.
    assert len(queries) == 4, queries
    assert queries[2].startswith('INSERT INTO "authtoken_token"')
    assert updated_columns(queries[3]) == ["last_login"]
    assert Token.objects.get(user=user).key == response.json()["auth_token"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "update_last_login, expected",
    [
        (False, 1),  # SimpleJWT's default: find the user only
        (True, 2),  # plus the last_login UPDATE
    ],
)
def test_jwt_create(api_client, user, monkeypatch, update_last_login, expected):
    # SimpleJWT's serializers keep the settings object they imported, which a changed
    # SIMPLE_JWT setting replaces rather than updates; set the flag on that object.
    monkeypatch.setattr(jwt_serializers.api_settings, "UPDATE_LAST_LOGIN", update_last_login)

    with capture() as context:
        response = api_client.post("/auth/jwt/create/", factories.login_data(user), format="json")

    assert response.status_code == 200
    queries = data_queries(context)
    assert len(queries) == expected, queries
    if update_last_login:
        assert updated_columns(queries[1]) == ["last_login"]
    user.refresh_from_db()
    assert (user.last_login is not None) is update_last_login


@pytest.mark.django_db
def test_me_get(auth_client, user):
    with capture() as context:
        response = auth_client.get("/auth/users/me/")

    assert response.status_code == 200
    # The token and its user come in one joined query.
    assert len(data_queries(context)) == 1, data_queries(context)


# --- Registration and activation --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("send_activation", [False, True])  # active at once / inactive
def test_registration(api_client, djoser_settings, send_activation):
    djoser_settings(SEND_ACTIVATION_EMAIL=send_activation)
    body = factories.registration_data()

    with capture() as context:
        response = api_client.post("/auth/users/", body, format="json")

    assert response.status_code == 201
    queries = data_queries(context)
    # The case-insensitive username check and the INSERT, plus one lookup per related
    # required field (DRF checks that the given primary key exists).
    assert len(queries) == 2 + len(related_required_fields()), queries
    assert queries[-1].startswith("INSERT"), queries
    assert updates(queries) == []
    assert outside_transaction(context) == []
    user = User.objects.get(pk=response.json()[User._meta.pk.name])
    assert user.is_active is not send_activation
    assert len(mail.outbox) == int(send_activation)


@pytest.mark.django_db
def test_activation(api_client, djoser_settings):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)
    user = factories.create_user(is_active=False)
    body = {"uid": encode_uid(user.pk), "token": activation_token_generator.make_token(user)}

    with capture() as context:
        response = api_client.post("/auth/users/activation/", body, format="json")

    assert response.status_code == 204
    queries = data_queries(context)
    assert len(queries) == 2, queries
    assert updated_columns(queries[1]) == ["is_active"]
    user.refresh_from_db()
    assert user.is_active


@pytest.mark.django_db
def test_resend_activation(api_client, djoser_settings):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)
    user = factories.create_user(is_active=False)

    with capture() as context:
        response = api_client.post(
            "/auth/users/resend_activation/", {"email": get_user_email(user)}, format="json"
        )

    assert response.status_code == 204
    assert len(data_queries(context)) == 1, data_queries(context)
    assert len(mail.outbox) == 1


# --- Passwords and usernames ------------------------------------------------------------


@pytest.mark.django_db
def test_set_password(auth_client, user):
    body = {"new_password": NEW_PASSWORD, "current_password": PASSWORD}

    with capture() as context:
        response = auth_client.post("/auth/users/set_password/", body, format="json")

    assert response.status_code == 204
    queries = data_queries(context)
    assert len(queries) == 2, queries
    assert updated_columns(queries[1]) == ["password"]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_reset_password(api_client, user):
    with capture() as context:
        response = api_client.post(
            "/auth/users/reset_password/", {"email": get_user_email(user)}, format="json"
        )

    assert response.status_code == 204
    assert len(data_queries(context)) == 1, data_queries(context)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_reset_password_confirm(api_client, user):
    body = {
        "uid": encode_uid(user.pk),
        "token": default_token_generator.make_token(user),
        "new_password": NEW_PASSWORD,
    }

    with capture() as context:
        response = api_client.post("/auth/users/reset_password_confirm/", body, format="json")

    assert response.status_code == 204
    queries = data_queries(context)
    # The account's row, locked; the new password; the account's tokens, which end.
    assert len(queries) == 3, queries
    assert updated_columns(queries[1]) == ["password"]
    assert queries[2].startswith('DELETE FROM "authtoken_token"')


@pytest.mark.django_db
def test_set_username(auth_client, user):
    field = User.USERNAME_FIELD
    body = {f"new_{field}": factories.username_value("renamed"), "current_password": PASSWORD}

    with capture() as context:
        response = auth_client.post(f"/auth/users/set_{field}/", body, format="json")

    assert response.status_code == 204
    queries = data_queries(context)
    # Authenticate, check that no other account has the name, UPDATE.
    assert len(queries) == 3, queries
    assert updated_columns(queries[2]) == [field]


@pytest.mark.django_db
@pytest.mark.skipif(
    not factories.is_email_login_model(), reason="only an email-login model's username is its email"
)
def test_set_username_deactivates_once(auth_client, user, djoser_settings):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)
    field = User.USERNAME_FIELD
    body = {f"new_{field}": "renamed@example.com", "current_password": PASSWORD}

    with capture() as context:
        response = auth_client.post(f"/auth/users/set_{field}/", body, format="json")

    assert response.status_code == 204
    # The new address and the inactive flag go out in one UPDATE.
    assert [sorted(updated_columns(sql)) for sql in updates(data_queries(context))] == [
        sorted([field, "is_active"])
    ]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_reset_username_confirm(api_client, user):
    field = User.USERNAME_FIELD
    body = {
        "uid": encode_uid(user.pk),
        "token": username_reset_token_generator.make_token(user),
        f"new_{field}": factories.username_value("renamed"),
    }

    with capture() as context:
        response = api_client.post(f"/auth/users/reset_{field}_confirm/", body, format="json")

    assert response.status_code == 204
    queries = data_queries(context)
    # Find the user, check that no other account has the name, UPDATE.
    assert len(queries) == 3, queries
    assert updated_columns(queries[2]) == [field]


# --- Deleting an account ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path, lookups",
    [
        ("/auth/users/me/", 0),  # the authenticated user is the one deleted
        ("/auth/users/{pk}/", 1),  # the id is looked up before the transaction starts
    ],
)
def test_delete_own_account(api_client, path, lookups):
    user = factories.create_user()
    client = token_client(api_client, user)

    with capture() as context:
        response = client.delete(
            path.format(pk=user.pk), {"current_password": PASSWORD}, format="json"
        )

    assert response.status_code == 204
    queries = data_queries(context)
    assert len(queries) == len(set(queries)), queries
    # Authentication (and the lookup by id) run before the transaction.
    assert len(outside_transaction(context)) == 1 + lookups
    deletes = [sql for sql in queries if sql.startswith("DELETE")]
    assert sum('"authtoken_token"' in sql for sql in deletes) == 1, deletes
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Token.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_delete_by_staff(api_client):
    staff = factories.create_user(username="staff", email="staff@example.com", is_staff=True)
    user = factories.create_user()
    Token.objects.create(user=user)
    client = token_client(api_client, staff)

    with capture() as context:
        response = client.delete(
            f"/auth/users/{user.pk}/", {"current_password": PASSWORD}, format="json"
        )

    assert response.status_code == 204
    queries = data_queries(context)
    assert len(queries) == len(set(queries)), queries
    # Authentication and the lookup of the user to delete run before the transaction.
    assert len(outside_transaction(context)) == 2
    assert list(Token.objects.values_list("user", flat=True)) == [staff.pk]


# --- The user list ----------------------------------------------------------------------


class TwoPerPage(PageNumberPagination):
    page_size = 2


@pytest.mark.django_db
@pytest.mark.parametrize("others", [0, 1, 25])  # the count does not grow with the list
def test_list_length(api_client, others):
    staff = factories.create_user(username="staff", email="staff@example.com", is_staff=True)
    for number in range(others):
        factories.create_user(username=f"user{number}", email=f"user{number}@example.com")
    client = token_client(api_client, staff)

    with capture() as context:
        response = client.get("/auth/users/")

    assert response.status_code == 200
    assert len(response.json()) == others + 1
    assert len(data_queries(context)) == 2, data_queries(context)


@pytest.mark.django_db
def test_list_paginated(api_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_PAGINATION_CLASS": f"{__name__}.TwoPerPage",
    }
    staff = factories.create_user(username="staff", email="staff@example.com", is_staff=True)
    users = [staff] + [
        factories.create_user(username=f"user{number}", email=f"user{number}@example.com")
        for number in range(4)
    ]
    client = token_client(api_client, staff)
    pk_name = User._meta.pk.name
    expected_ids = [factories.to_json(user.pk) for user in sorted(users, key=lambda u: u.pk)]

    with capture() as context:
        first = client.get("/auth/users/")

    assert first.status_code == 200
    # Authentication, DRF's COUNT, the page.
    assert len(data_queries(context)) == 3, data_queries(context)
    body = first.json()
    assert body["count"] == 5
    assert body["previous"] is None
    assert body["next"] is not None
    seen = [row[pk_name] for row in body["results"]]
    page = 2
    while body["next"] is not None:
        body = client.get("/auth/users/", {"page": page}).json()
        seen += [row[pk_name] for row in body["results"]]
        page += 1
    # Pages follow the primary key, so none repeats or skips a user.
    assert seen == expected_ids


@pytest.mark.django_db
def test_list_paginated_hidden(auth_client, user, other_user, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_PAGINATION_CLASS": f"{__name__}.TwoPerPage",
    }

    response = auth_client.get("/auth/users/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [row[User._meta.pk.name] for row in body["results"]] == [factories.to_json(user.pk)]


# --- Updates write only what changes ----------------------------------------------------


@pytest.mark.django_db
@needs_writable_email
def test_patch_writes_changed(auth_client, user):
    field = factories.email_field()

    with capture() as context:
        response = auth_client.patch("/auth/users/me/", {field: "new@example.com"}, format="json")

    assert response.status_code == 200
    queries = data_queries(context)
    assert len(queries) == 2, queries
    assert updated_columns(queries[1]) == [field]


@pytest.mark.django_db
@needs_writable_email
@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_unchanged(auth_client, user, method):
    field = factories.email_field()
    body = {field: get_user_email(user)}
    if method == "put":
        body = put_body(user, body)

    with capture() as context:
        response = getattr(auth_client, method)("/auth/users/me/", body, format="json")

    assert response.status_code == 200
    queries = data_queries(context)
    # Nothing changes, so nothing is written: authentication, plus DRF's check that each
    # related object sent in the body exists.
    related_lookups = len(related_required_fields()) if method == "put" else 0
    assert len(queries) == 1 + related_lookups, queries
    assert updates(queries) == []


@pytest.mark.django_db
@needs_writable_email
def test_email_change_deactivates_once(auth_client, user, djoser_settings):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)
    field = factories.email_field()

    with capture() as context:
        response = auth_client.patch("/auth/users/me/", {field: "new@example.com"}, format="json")

    assert response.status_code == 200
    # The new address and the inactive flag go out in one UPDATE.
    assert [sorted(updated_columns(sql)) for sql in updates(data_queries(context))] == [
        sorted([field, "is_active"])
    ]
    user.refresh_from_db()
    assert not user.is_active
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]


def interleave(monkeypatch, flow_name, run_other):
    """Run ``run_other()`` when the request under test reaches ``djoser.flows.<flow_name>``.

    Two requests that load the same user and then save it in turn lose the first save's
    change if the second writes columns it did not change. This replays that interleaving
    in one thread: the request under test has loaded and validated its user, the other
    request runs to its end, and only then does the first one write. Return a list that
    holds the other request's response afterwards.
    """
    original = getattr(flows, flow_name)
    other_responses = []

    def run_other_first(*args, **kwargs):
        if not other_responses:
            other_responses.append(None)
            other_responses[0] = run_other()
        return original(*args, **kwargs)

    monkeypatch.setattr(flows, flow_name, run_other_first)
    return other_responses


def change_email(client):
    field = factories.email_field()
    return client.patch("/auth/users/me/", {field: "patched@example.com"}, format="json")


def repeat_email(client):
    # A PUT that sends back the email it read, unchanged, with the other shown fields.
    user = User.objects.get()
    field = factories.email_field()
    return client.put("/auth/users/me/", put_body(user, {field: "john@example.com"}), format="json")


def change_password(client):
    body = {"new_password": NEW_PASSWORD, "current_password": PASSWORD}
    return client.post("/auth/users/set_password/", body, format="json")


def change_username(client):
    field = User.USERNAME_FIELD
    body = {f"new_{field}": factories.username_value("renamed"), "current_password": PASSWORD}
    return client.post(f"/auth/users/set_{field}/", body, format="json")


def log_in(client):
    user = User.objects.get()
    return client.post("/auth/token/login/", factories.login_data(user), format="json")


def email_is(value):
    return lambda user: get_user_email(user) == value


def password_is(value):
    return lambda user: user.check_password(value)


def username_is(value):
    return lambda user: user.get_username() == factories.username_value(value)


def last_login_set(user):
    return user.last_login is not None


def with_email(*values, id):
    """Return a parameter set that needs a writable email on users/me/."""
    return pytest.param(*values, marks=needs_writable_email, id=id)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "first, flow_name, first_effect, second, second_effect",
    [
        # A profile change while the password changes, and the reverse.
        with_email(
            change_email,
            "update_user",
            email_is("patched@example.com"),
            change_password,
            password_is(NEW_PASSWORD),
            id="email-then-password",
        ),
        with_email(
            change_password,
            "set_password",
            password_is(NEW_PASSWORD),
            change_email,
            email_is("patched@example.com"),
            id="password-then-email",
        ),
        # A profile change while the username changes.
        with_email(
            change_email,
            "update_user",
            email_is("patched@example.com"),
            change_username,
            username_is("renamed"),
            id="email-then-username",
        ),
        # A password change while the same user logs in elsewhere.
        pytest.param(
            change_password,
            "set_password",
            password_is(NEW_PASSWORD),
            log_in,
            last_login_set,
            id="password-then-login",
        ),
        # A PUT that repeats the email it read keeps the one another request wrote since.
        with_email(
            repeat_email,
            "update_user",
            lambda user: True,
            change_email,
            email_is("patched@example.com"),
            id="stale-put-then-email",
        ),
    ],
)
def test_concurrent_updates(
    api_client, user, monkeypatch, first, flow_name, first_effect, second, second_effect
):
    client = token_client(api_client, user)
    other_client = token_client(type(api_client)(), user)
    other_responses = interleave(monkeypatch, flow_name, lambda: second(other_client))

    response = first(client)

    assert response.status_code in (200, 204), response.content
    assert len(other_responses) == 1
    assert other_responses[0].status_code in (200, 204), other_responses[0].content
    user = User.objects.get(pk=user.pk)
    assert first_effect(user)
    assert second_effect(user)


# --- The benchmark ----------------------------------------------------------------------


@pytest.mark.skipif(
    User._meta.label != "auth.User",
    reason="runs once per suite, with the demo's user model (Django's User)",
)
def test_benchmark_counts(tmp_path):
    # The demo's settings, which the benchmark runs, keep the counts of these endpoints.
    # Running the benchmark here also keeps benchmarks/run.py working as the code changes.
    repo = Path(__file__).resolve().parent.parent
    report_path = tmp_path / "report.json"
    command = [
        sys.executable,
        str(repo / "benchmarks" / "run.py"),
        "--db",
        "sqlite",
        "--only",
        "users/me GET,token login,register",
        "--requests",
        "1",
        "--json",
        str(report_path),
    ]

    completed = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=300)

    assert completed.returncode == 0, completed.stderr[-3000:]
    results = {row["name"]: row for row in json.loads(report_path.read_text())["results"]}
    assert {name: row["queries"] for name, row in results.items()} == {
        "users/me GET": 1,
        "token login": 3,
        "register": 2,
    }
    assert {name: row["hashes"] for name, row in results.items()} == {
        "users/me GET": 0,
        "token login": 1,
        "register": 1,
    }
    assert all(row["errors"] == 0 for row in results.values())
