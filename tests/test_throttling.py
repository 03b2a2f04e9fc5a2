"""Rate limits: each limit, the client address, the settings, and one limit across processes."""

import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from djoser import throttling
from djoser.conf import settings as djoser_settings
from tests.factories import create_user, email_field, login_data, registration_data

User = get_user_model()

pytestmark = pytest.mark.django_db

OTHER_ADDRESS = "203.0.113.7"

# (login path, status of a wrong password): token login returns 400, JWT create 401.
LOGIN_ENDPOINTS = [
    ("/auth/token/login/", 400),
    # the 1.x path of token login
    ("/auth/token/create/", 400),
    ("/auth/jwt/create/", 401),
]


@pytest.fixture
def rates(djoser_settings):
    """Return a function that sets some ``THROTTLE_RATES`` entries for one test."""

    def update(**values):
        djoser_settings(THROTTLE_RATES=values)

    return update


def assert_throttled(response):
    """Assert that ``response`` is DRF's 429 with a Retry-After header; return its seconds."""
    assert response.status_code == 429, response.content
    seconds = int(response["Retry-After"])
    assert seconds >= 1
    unit = "second" if seconds == 1 else "seconds"
    assert response.json() == {
        "detail": f"Request was throttled. Expected available in {seconds} {unit}."
    }
    return seconds


def post(client, path, body, address="127.0.0.1", **extra):
    return client.post(path, body, format="json", REMOTE_ADDR=address, **extra)


def wrong_login(user):
    return login_data(user, password="wrong-password")


def reset_username_path():
    return f"/auth/users/reset_{User.USERNAME_FIELD}/"


# Failed logins.


@pytest.mark.parametrize(("path", "wrong_status"), LOGIN_ENDPOINTS)
def test_login_account_address_limit(api_client, user, rates, path, wrong_status):
    rates(login_account_address="3/h")

    for _ in range(3):
        assert post(api_client, path, wrong_login(user)).status_code == wrong_status

    seconds = assert_throttled(post(api_client, path, wrong_login(user)))
    assert seconds <= 3600
    # The right password from the same address waits too.
    assert_throttled(post(api_client, path, login_data(user)))
    # The owner, elsewhere, is not locked out.
    assert post(api_client, path, login_data(user), address=OTHER_ADDRESS).status_code == 200
    assert post(api_client, path, wrong_login(user), address=OTHER_ADDRESS).status_code == wrong_status


@pytest.mark.parametrize(("path", "wrong_status"), LOGIN_ENDPOINTS)
def test_login_success_not_counted(api_client, user, rates, path, wrong_status):
    rates(login_account_address="2/h", login_address="2/h")

    for _ in range(5):
        assert post(api_client, path, login_data(user)).status_code == 200
    for _ in range(2):
        assert post(api_client, path, wrong_login(user)).status_code == wrong_status

    assert_throttled(post(api_client, path, login_data(user)))


@pytest.mark.parametrize(("path", "wrong_status"), LOGIN_ENDPOINTS)
def test_login_address_limit(api_client, user, rates, path, wrong_status):
    rates(login_address="3/h")
    others = [create_user(username=f"other{n}", email=f"other{n}@example.com") for n in range(3)]

    # Three accounts, one failure each: the address has used up its failures.
    for other in others:
        assert post(api_client, path, wrong_login(other)).status_code == wrong_status

    assert_throttled(post(api_client, path, login_data(user)))
    assert post(api_client, path, login_data(user), address=OTHER_ADDRESS).status_code == 200


def test_login_failures_shared_by_endpoints(api_client, user, rates):
    rates(login_account_address="2/h")

    assert post(api_client, "/auth/token/login/", wrong_login(user)).status_code == 400
    assert post(api_client, "/auth/jwt/create/", wrong_login(user)).status_code == 401

    assert_throttled(post(api_client, "/auth/token/login/", wrong_login(user)))
    assert_throttled(post(api_client, "/auth/jwt/create/", wrong_login(user)))


@pytest.mark.parametrize(
    "variants",
    [
        # letter case and surrounding spaces
        ["dora", "DORA", " Dora "],
        # a number and the same digits as a string, as CharField reads both
        [1234, "1234", "1234"],
        # the dotless i, which PostgreSQL's UPPER() matches with i
        ["ivy", "ıvy", "IVY"],
    ],
)
def test_login_spellings_share_limit(api_client, rates, variants):
    rates(login_account_address="2/h")
    login_field = djoser_settings.LOGIN_FIELD

    first, second, third = variants
    for value in (first, second):
        body = {login_field: value, "password": "wrong-password"}
        assert post(api_client, "/auth/token/login/", body).status_code == 400

    assert_throttled(post(api_client, "/auth/token/login/", {login_field: third, "password": "x"}))


def test_login_malformed_body_counted(api_client, rates):
    rates(login_address="2/h")

    assert post(api_client, "/auth/token/login/", {}).status_code == 400
    assert post(api_client, "/auth/jwt/create/", {"password": "x"}).status_code == 400

    assert_throttled(post(api_client, "/auth/token/login/", {}))


def test_login_concurrent_guesses_capped(db, rates):
    rates(login_account_address="5/h")
    factory = APIRequestFactory()
    view = APIView()
    barrier = threading.Barrier(20)
    allowed = []
    login_field = djoser_settings.LOGIN_FIELD

    def attempt():
        request = view.initialize_request(
            factory.post("/auth/token/login/", {login_field: "dora", "password": "x"}, format="json")
        )
        throttle = throttling.LoginFailureThrottle()
        barrier.wait()
        allowed.append(throttle.allow_request(request, APIView()))

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert allowed.count(True) == 5
    assert allowed.count(False) == 15


# Social login.


def test_social_login_failures_limited(api_client, rates, settings):
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "social_core.backends.github.GithubOAuth2",
    ]
    settings.SOCIAL_AUTH_GITHUB_KEY = "key"
    settings.SOCIAL_AUTH_GITHUB_SECRET = "secret"
    rates(login_address="2/h")
    body = {"code": "made-up", "state": "not-a-state"}

    for _ in range(2):
        assert post(api_client, "/auth/o/github/", body).status_code == 400

    assert_throttled(post(api_client, "/auth/o/github/", body))


# Registration.


def test_registration_limit(api_client, rates):
    rates(registration="2/h")

    first = post(api_client, "/auth/users/", registration_data(username="first", email="first@example.com"))
    assert first.status_code == 201
    # A rejected registration counts too.
    assert post(api_client, "/auth/users/", {}).status_code == 400

    assert_throttled(post(api_client, "/auth/users/", registration_data()))
    assert User.objects.filter(**{User.USERNAME_FIELD: registration_data()[User.USERNAME_FIELD]}).count() == 0
    third = post(api_client, "/auth/users/", registration_data(), address=OTHER_ADDRESS)
    assert third.status_code == 201


# Emailed links.


def email_paths():
    return ["/auth/users/reset_password/", reset_username_path(), "/auth/users/resend_activation/"]


@pytest.fixture
def activation_on(djoser_settings):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)


@pytest.mark.parametrize("endpoint", ["reset_password", "reset_username", "resend_activation"])
def test_email_target_limit(api_client, user, rates, activation_on, mailoutbox, endpoint):
    rates(email_target="2/h")
    path = {
        "reset_password": "/auth/users/reset_password/",
        "reset_username": reset_username_path(),
        "resend_activation": "/auth/users/resend_activation/",
    }[endpoint]

    # The same address in other letter case counts as the same target.
    assert post(api_client, path, {"email": "victim@example.com"}).status_code == 204
    assert post(api_client, path, {"email": "Victim@Example.COM"}).status_code == 204

    assert_throttled(post(api_client, path, {"email": "victim@example.com"}))
    # Another client cannot go on flooding that address either.
    assert_throttled(post(api_client, path, {"email": "victim@example.com"}, address=OTHER_ADDRESS))
    assert post(api_client, path, {"email": "someone@example.com"}).status_code == 204


def test_email_target_shared_by_endpoints(api_client, rates, activation_on):
    rates(email_target="3/h")

    for path in email_paths():
        assert post(api_client, path, {"email": "victim@example.com"}).status_code == 204

    for path in email_paths():
        assert_throttled(post(api_client, path, {"email": "victim@example.com"}))


@pytest.mark.parametrize("endpoint", ["reset_password", "reset_username", "resend_activation"])
def test_email_address_limit(api_client, rates, activation_on, endpoint):
    rates(email_address="3/h")
    path = {
        "reset_password": "/auth/users/reset_password/",
        "reset_username": reset_username_path(),
        "resend_activation": "/auth/users/resend_activation/",
    }[endpoint]

    for n in range(3):
        assert post(api_client, path, {"email": f"person{n}@example.com"}).status_code == 204

    assert_throttled(post(api_client, path, {"email": "person9@example.com"}))
    response = post(api_client, path, {"email": "person9@example.com"}, address=OTHER_ADDRESS)
    assert response.status_code == 204


def test_email_limit_sends_nothing(api_client, user, rates, mailoutbox):
    rates(email_target="1/h")
    body = {"email": getattr(user, email_field())}

    assert post(api_client, "/auth/users/reset_password/", body).status_code == 204
    assert len(mailoutbox) == 1

    assert_throttled(post(api_client, "/auth/users/reset_password/", body))
    assert len(mailoutbox) == 1


# Confirmation endpoints.


@pytest.mark.parametrize(
    "path",
    [
        "/auth/users/activation/",
        "/auth/users/reset_password_confirm/",
        f"/auth/users/reset_{User.USERNAME_FIELD}_confirm/",
    ],
)
def test_confirmation_limit(api_client, rates, path):
    rates(confirmation="2/h")
    body = {"uid": "MQ", "token": "garbage"}

    for _ in range(2):
        assert post(api_client, path, body).status_code == 400

    assert_throttled(post(api_client, path, body))
    assert post(api_client, path, body, address=OTHER_ADDRESS).status_code == 400


# The client address.


def test_forwarded_for_ignored_without_proxies(api_client, user, rates, settings):
    # The suite's settings: NUM_PROXIES = 0, no proxy in front.
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    rates(login_address="2/h")

    for n in range(2):
        post(api_client, "/auth/token/login/", wrong_login(user), HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    assert_throttled(
        post(api_client, "/auth/token/login/", wrong_login(user), HTTP_X_FORWARDED_FOR="10.0.0.9")
    )


def test_forwarded_for_with_one_proxy(api_client, user, rates, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    rates(login_address="2/h")

    # The client may prepend anything; the proxy appends the address it saw, which counts.
    for spoofed in ("1.1.1.1", "2.2.2.2"):
        forwarded = f"{spoofed}, 198.51.100.1"
        response = post(api_client, "/auth/token/login/", wrong_login(user), HTTP_X_FORWARDED_FOR=forwarded)
        assert response.status_code == 400

    throttled = post(
        api_client, "/auth/token/login/", wrong_login(user), HTTP_X_FORWARDED_FOR="3.3.3.3, 198.51.100.1"
    )
    assert_throttled(throttled)
    other_client = post(
        api_client, "/auth/token/login/", login_data(user), HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert other_client.status_code == 200


def test_unset_proxies_trusts_forwarded_for(api_client, user, rates, settings):
    # DRF's default: the whole X-Forwarded-For header is the address, so a client that
    # writes a new one each time escapes the limit. The system check below warns of it.
    settings.REST_FRAMEWORK = {
        key: value for key, value in settings.REST_FRAMEWORK.items() if key != "NUM_PROXIES"
    }
    rates(login_address="1/h")

    statuses = [
        post(api_client, "/auth/token/login/", wrong_login(user), HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(3)
    ]

    assert statuses == [400, 400, 400]


def test_unset_proxies_warns(settings):
    settings.REST_FRAMEWORK = {
        key: value for key, value in settings.REST_FRAMEWORK.items() if key != "NUM_PROXIES"
    }

    messages = [message for message in run_checks(databases=[]) if message.id == "djoser.throttling.W001"]

    assert len(messages) == 1
    assert "X-Forwarded-For" in messages[0].msg


def test_unset_proxies_no_warning_when_off(settings, djoser_settings):
    settings.REST_FRAMEWORK = {
        key: value for key, value in settings.REST_FRAMEWORK.items() if key != "NUM_PROXIES"
    }
    djoser_settings(THROTTLING=False)

    assert [message for message in run_checks(databases=[]) if message.id.startswith("djoser.throttling")] == []


# Settings.


def test_throttling_off(api_client, user, rates, djoser_settings, activation_on):
    rates(
        login_account_address="1/h",
        login_address="1/h",
        registration="1/h",
        email_target="1/h",
        email_address="1/h",
        confirmation="1/h",
    )
    djoser_settings(THROTTLING=False)

    for _ in range(3):
        assert post(api_client, "/auth/token/login/", wrong_login(user)).status_code == 400
        assert post(api_client, "/auth/jwt/create/", wrong_login(user)).status_code == 401
        assert post(api_client, "/auth/users/", {}).status_code == 400
        for path in email_paths():
            assert post(api_client, path, {"email": "victim@example.com"}).status_code == 204
        assert post(api_client, "/auth/users/activation/", {"uid": "MQ", "token": "x"}).status_code == 400


def test_rate_none_removes_one_limit(api_client, user, rates):
    rates(login_account_address=None, login_address="3/h")

    for _ in range(3):
        assert post(api_client, "/auth/token/login/", wrong_login(user)).status_code == 400

    assert_throttled(post(api_client, "/auth/token/login/", wrong_login(user)))


def test_rates_merge_over_defaults(rates):
    rates(registration="7/d")

    assert djoser_settings.THROTTLE_RATES["registration"] == "7/d"
    assert djoser_settings.THROTTLE_RATES["login_account_address"] == "10/15m"
    assert djoser_settings.THROTTLE_RATES["email_target"] == "5/h"


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [
        ("10/15m", (10, 900)),
        ("100/h", (100, 3600)),
        ("5/hour", (5, 3600)),
        ("1/s", (1, 1)),
        ("30/2days", (30, 172800)),
        # spaces around the parts
        (" 3 / 10 min ", (3, 600)),
        (None, None),
    ],
)
def test_parse_rate(rate, parsed):
    assert throttling.parse_rate(rate, "registration") == parsed


@pytest.mark.parametrize(
    "rate",
    [
        # no period
        "10",
        # a count that is not a number
        "ten/h",
        # a unit that is not one ("m" followed by other letters used to pass as minutes)
        "10/month",
        # a period of zero seconds
        "10/0m",
        # not a string
        10,
        "",
    ],
)
def test_bad_rate_names_setting(api_client, rates, rate):
    rates(registration=rate)

    with pytest.raises(ImproperlyConfigured) as raised:
        post(api_client, "/auth/users/", registration_data())

    assert f"DJOSER['THROTTLE_RATES']['registration'] is {rate!r}" in str(raised.value)
    errors = [message for message in run_checks(databases=[]) if message.id == "djoser.throttling.E001"]
    assert [error.msg for error in errors] == [str(raised.value)]


def test_retry_after_is_rest_of_window(api_client, user, rates, monkeypatch):
    rates(login_account_address="1/h")
    # 1,000.25 seconds into an hour window.
    monkeypatch.setattr(throttling.time, "time", lambda: 3600 * 480_000 + 1000.25)

    assert post(api_client, "/auth/token/login/", wrong_login(user)).status_code == 400
    response = post(api_client, "/auth/token/login/", wrong_login(user))

    assert assert_throttled(response) == 2600


def test_window_ends(api_client, user, rates, monkeypatch):
    rates(login_account_address="1/m")
    now = [60 * 1_000_000 + 30.0]
    monkeypatch.setattr(throttling.time, "time", lambda: now[0])
    assert post(api_client, "/auth/token/login/", wrong_login(user)).status_code == 400
    assert_throttled(post(api_client, "/auth/token/login/", login_data(user)))

    now[0] += 30

    assert post(api_client, "/auth/token/login/", login_data(user)).status_code == 200


def test_cache_keys_hold_no_identifiers(user, rates):
    from django.core.cache import cache

    factory = APIRequestFactory()
    request = APIView().initialize_request(
        factory.post("/auth/users/reset_password/", {"email": "victim@example.com"}, format="json")
    )
    throttle = throttling.EmailLinkThrottle()

    assert throttle.allow_request(request, APIView())

    keys = [limit.key for limit in throttle.counted]
    assert len(keys) == 2
    for key in keys:
        assert "victim" not in key
        assert "127.0.0.1" not in key
        assert cache.get(key) == 1


# Several server processes sharing one Redis.

REDIS_URL = os.environ.get("DJOSER_DEMO_REDIS_URL", "")


def redis_reachable():
    if not REDIS_URL:
        return False
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - any failure means there is no server to test with.
        return False


@pytest.mark.skipif(
    User._meta.label != "auth.User",
    reason="the demo project uses the default user model",
)
@pytest.mark.skipif(not redis_reachable(), reason="no Redis at DJOSER_DEMO_REDIS_URL")
def test_two_servers_share_limit(tmp_path):
    import redis

    from tests.test_demo import DEMO, demo_environment, free_port, wait_for_port

    # Counters left by an earlier run of this test would still be counting.
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match="djoser-demo:*:djoser:throttle:*"):
        client.delete(key)

    project = tmp_path / "testproject"
    shutil.copytree(DEMO, project, ignore=shutil.ignore_patterns("db.sqlite3", "__pycache__"))
    env = {**demo_environment(), "DJOSER_DEMO_REDIS_URL": REDIS_URL}
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stderr

    servers = []
    urls = []
    try:
        for n in range(2):
            port = free_port()
            log_path = tmp_path / f"server{n}.log"
            with open(log_path, "w") as log:
                process = subprocess.Popen(
                    [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                    cwd=project,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            servers.append(process)
            wait_for_port(port, process, log_path)
            urls.append(f"http://127.0.0.1:{port}/auth/users/reset_password/")

        # The default email_target rate is 5 per hour; the requests alternate servers.
        email = f"{uuid.uuid4().hex}@example.com"
        statuses = [post_json(urls[n % 2], {"email": email}) for n in range(7)]
    finally:
        for process in servers:
            process.terminate()
            process.wait(timeout=10)

    assert statuses == [204, 204, 204, 204, 204, 429, 429]


def post_json(url, body):
    """POST ``body`` as JSON to ``url``; return the status code."""
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
