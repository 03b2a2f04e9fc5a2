"""The demo project in ``testproject/``: its checks, and the sample flow against its server.

The server runs in a subprocess on a free 127.0.0.1 port, from a copy of the project in a
temporary directory, so the test never touches ``testproject/db.sqlite3``.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model

from tests.bodies import BODY_FORMATS, FORM_CONTENT_TYPE

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "testproject"

# Seconds to wait for the development server to accept connections.
SERVER_START_TIMEOUT = 60

pytestmark = pytest.mark.skipif(
    get_user_model()._meta.label != "auth.User",
    reason="the demo project has settings of its own; one run, with the default model, covers it",
)


def demo_environment():
    """Return the environment for the demo's commands: its own settings, on SQLite."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "testproject.settings", "PYTHONUNBUFFERED": "1"}
    for name in ("DJOSER_DB", "DJOSER_DEMO_ACTIVATION", "DJOSER_DEMO_CONFIRMATION"):
        env.pop(name, None)
    return env


def manage(project, *args):
    """Run ``manage.py`` of the demo copy in ``project``; return the finished process."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=project,
        env=demo_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory):
    """Return a migrated copy of the demo project."""
    project = tmp_path_factory.mktemp("demo") / "testproject"
    shutil.copytree(DEMO, project, ignore=shutil.ignore_patterns("db.sqlite3", "__pycache__"))
    result = manage(project, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr
    return project


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, log_path):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log_path.read_text(errors="replace")
            raise AssertionError(f"the demo server exited with status {process.returncode}:\n{output}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the demo server did not listen on port {port} within {SERVER_START_TIMEOUT} s")


@pytest.fixture(scope="module")
def demo_server(demo_project, tmp_path_factory):
    """Start the demo's development server; yield its base URL."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("demo-log") / "server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=demo_project,
            env=demo_environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, process, log_path)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Report a redirect as the response it is, instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def call(base_url, method, path, body=None, body_format="json", authorization=None):
    """Send one request to the demo server; return ``(status, parsed JSON body or None)``."""
    headers = {}
    data = None
    if body is not None and body_format == "json":
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    elif body is not None:
        data = urlencode(body).encode()
        headers["Content-Type"] = FORM_CONTENT_TYPE
    if authorization:
        headers["Authorization"] = authorization
    request = urllib.request.Request(base_url + path, data=data, headers=headers, method=method)
    try:
        with OPENER.open(request, timeout=30) as response:
            status, content = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, content = error.code, error.read()
    return status, json.loads(content) if content else None


def test_demo_passes_checks(demo_project):
    result = manage(demo_project, "check", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("body_format", BODY_FORMATS)
def test_demo_serves_sample_flow(demo_server, body_format):
    username = f"djoser-{body_format}"
    credentials = {"username": username, "password": "alpine12"}

    status, body = call(demo_server, "POST", "/auth/users/", credentials, body_format)
    assert status == 201
    assert body == {"email": "", "username": username, "id": body["id"]}
    user = body

    status, body = call(demo_server, "GET", "/auth/users/me/")
    assert status == 401
    assert body == {"detail": "Authentication credentials were not provided."}

    status, body = call(demo_server, "POST", "/auth/token/login/", credentials, body_format)
    assert status == 200
    assert list(body) == ["auth_token"]
    assert len(body["auth_token"]) == 40
    authorization = f"Token {body['auth_token']}"

    status, body = call(demo_server, "GET", "/auth/users/me/", authorization=authorization)
    assert status == 200
    assert body == user

    status, body = call(demo_server, "POST", "/auth/token/logout/", authorization=authorization)
    assert status == 204
    assert body is None

    status, body = call(demo_server, "GET", "/auth/users/me/", authorization=authorization)
    assert status == 401
    assert body == {"detail": "Invalid token."}


@pytest.mark.parametrize("body_format", BODY_FORMATS)
def test_demo_serves_paths_without_slash(demo_server, body_format):
    credentials = {"username": f"slashless-{body_format}", "password": "alpine12"}

    status, body = call(demo_server, "POST", "/auth/users", credentials, body_format)
    assert status == 201
    status, body = call(demo_server, "POST", "/auth/token/login", credentials, body_format)
    assert status == 200
    status, body = call(
        demo_server, "GET", "/auth/users/me", authorization=f"Token {body['auth_token']}"
    )
    assert status == 200
    assert body["username"] == credentials["username"]


def test_demo_serves_jwt(demo_server):
    credentials = {"username": "djoser-jwt", "password": "alpine12"}
    status, user = call(demo_server, "POST", "/auth/users/", credentials)
    assert status == 201

    status, pair = call(demo_server, "POST", "/auth/jwt/create/", credentials)
    assert status == 200
    assert sorted(pair) == ["access", "refresh"]

    status, body = call(demo_server, "POST", "/auth/jwt/refresh/", {"refresh": pair["refresh"]})
    assert status == 200
    assert list(body) == ["access"]

    status, body = call(demo_server, "POST", "/auth/jwt/verify/", {"token": pair["access"]})
    assert status == 200
    assert body == {}

    for header_type in ("Bearer", "JWT"):
        status, body = call(
            demo_server, "GET", "/auth/users/me/", authorization=f"{header_type} {pair['access']}"
        )
        assert status == 200
        assert body == user
