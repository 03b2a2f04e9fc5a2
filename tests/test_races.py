"""Races: twenty concurrent requests that may succeed only once, on PostgreSQL.

Each request runs in a thread of its own, with its own database connection, and all start
together. SQLite locks the whole database file for a write, so it cannot run these requests
side by side, and the module runs on PostgreSQL only.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from rest_framework.test import APIClient

from djoser.tokens import activation_token_generator, username_reset_token_generator
from djoser.utils import encode_uid
from tests.factories import create_user, registration_data, username_value

User = get_user_model()

CONCURRENT_REQUESTS = 20

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite cannot run concurrent writes"
    ),
    pytest.mark.django_db(transaction=True),
]

INVALID_TOKEN = {"token": ["Invalid token for given user."]}


@pytest.fixture(autouse=True)
def no_throttling(djoser_settings):
    djoser_settings(THROTTLING=False)


def run_together(requests):
    """Run each function in ``requests`` in a thread of its own, all released at once.

    Return their results in order. Each thread closes its database connection when done.
    """
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)
    errors = []

    def run(index, request):
        try:
            barrier.wait(timeout=30)
            results[index] = request()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below.
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return results


def post(path, body):
    return lambda: APIClient().post(path, body, format="json")


def test_registrations_of_one_username():
    data = registration_data(username="racer", email="racer@example.com")

    responses = run_together([post("/auth/users/", data) for _ in range(CONCURRENT_REQUESTS)])

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [400] * (CONCURRENT_REQUESTS - 1)
    taken = {
        User.USERNAME_FIELD: [
            f"A user with that {User._meta.get_field(User.USERNAME_FIELD).verbose_name} already exists."
        ]
    }
    lost_race = {"non_field_errors": ["Unable to create account."]}
    for response in responses:
        if response.status_code == 400:
            assert response.json() in (taken, lost_race)
    assert User.objects.filter(**{User.USERNAME_FIELD: data[User.USERNAME_FIELD]}).count() == 1


def test_uses_of_one_reset_link(signal_log):
    user = create_user()
    link = {"uid": encode_uid(user.pk), "token": default_token_generator.make_token(user)}
    passwords = [f"new-staple-battery-{n}" for n in range(CONCURRENT_REQUESTS)]

    responses = run_together(
        [
            post("/auth/users/reset_password_confirm/", {**link, "new_password": password})
            for password in passwords
        ]
    )

    winners = [index for index, response in enumerate(responses) if response.status_code == 204]
    assert len(winners) == 1
    for response in responses:
        if response.status_code != 204:
            assert response.status_code == 400
            assert response.json() == INVALID_TOKEN
    user.refresh_from_db()
    assert user.check_password(passwords[winners[0]])
    assert signal_log.names().count("password_reset_completed") == 1


def test_uses_of_one_username_reset_link(signal_log):
    user = create_user()
    link = {"uid": encode_uid(user.pk), "token": username_reset_token_generator.make_token(user)}
    names = [username_value(f"renamed{n}") for n in range(CONCURRENT_REQUESTS)]
    field = f"new_{User.USERNAME_FIELD}"

    responses = run_together(
        [post(f"/auth/users/reset_{User.USERNAME_FIELD}_confirm/", {**link, field: name}) for name in names]
    )

    winners = [index for index, response in enumerate(responses) if response.status_code == 204]
    assert len(winners) == 1
    for response in responses:
        if response.status_code != 204:
            assert response.status_code == 400
            assert response.json() == INVALID_TOKEN
    user.refresh_from_db()
    assert user.get_username() == names[winners[0]]
    assert signal_log.names().count("username_changed") == 1


def test_uses_of_one_activation_link(signal_log):
    user = create_user(is_active=False)
    link = {"uid": encode_uid(user.pk), "token": activation_token_generator.make_token(user)}

    responses = run_together(
        [post("/auth/users/activation/", link) for _ in range(CONCURRENT_REQUESTS)]
    )

    statuses = sorted(response.status_code for response in responses)
    # The link stays valid after use, and a second use is reported as stale.
    assert statuses == [204] + [403] * (CONCURRENT_REQUESTS - 1)
    user.refresh_from_db()
    assert user.is_active is True
    assert signal_log.names().count("user_activated") == 1
