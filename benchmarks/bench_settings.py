"""Settings for the benchmark: the demo project's, with the database, hasher and mail it picks.

The runner sets the variables below before Django starts, and passes them on to the
gunicorn workers of the load test:

- ``DJOSER_DB`` (the demo's own): ``sqlite`` or ``postgresql``, the latter connecting with
  the standard ``PGHOST``, ``PGPORT``, ``PGUSER`` and ``PGPASSWORD`` variables.
- ``DJOSER_BENCH_DB_NAME``: the SQLite file or PostgreSQL database the run creates and drops.
- ``DJOSER_BENCH_HASHER``: ``md5`` or ``default`` (Django's default password hasher).

Activation and confirmation emails are on unless ``DJOSER_DEMO_ACTIVATION`` or
``DJOSER_DEMO_CONFIRMATION`` is set to 0, so the flows send the emails a real sign-up sends.
"""

import os
import sys
from pathlib import Path

TESTPROJECT_DIR = Path(__file__).resolve().parent.parent / "testproject"
if str(TESTPROJECT_DIR) not in sys.path:
    sys.path.append(str(TESTPROJECT_DIR))

os.environ.setdefault("DJOSER_DEMO_ACTIVATION", "1")
os.environ.setdefault("DJOSER_DEMO_CONFIRMATION", "1")

import importlib.util  # noqa: E402

from testproject.settings import *  # noqa: E402,F403
from testproject import settings as demo_settings  # noqa: E402
from testproject.settings import DATABASES, INSTALLED_APPS, REST_FRAMEWORK  # noqa: E402

from bench_hashers import HASHERS  # noqa: E402


def module_exists(dotted_path):
    try:
        return importlib.util.find_spec(dotted_path) is not None
    except ModuleNotFoundError:
        return False


# A comparison runs these settings against an older djoser too, which may lack a sub-app or
# a module that the demo names. Those entries are left out, so both builds start.
INSTALLED_APPS = [app for app in INSTALLED_APPS if module_exists(app)]
_authentication = [
    path
    for path in REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
    if module_exists(path.rsplit(".", 1)[0])
]
if not any("JWT" in path for path in _authentication):
    _authentication.append("rest_framework_simplejwt.authentication.JWTAuthentication")
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_AUTHENTICATION_CLASSES": tuple(_authentication)}

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench_urls"
WSGI_APPLICATION = "bench_wsgi.application"

# Each process keeps its own cache. The runner clears the cache before every request, and
# clearing a Redis cache (DJOSER_DEMO_REDIS_URL) would flush the whole Redis database.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Emails are rendered and handed to a back end as usual, but kept in memory.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

PASSWORD_HASHERS = [HASHERS[os.environ.get("DJOSER_BENCH_HASHER", "md5")]]

_db_name = os.environ.get("DJOSER_BENCH_DB_NAME")
if _db_name:
    DATABASES["default"]["NAME"] = _db_name
    # create_test_db() makes (and destroy_test_db() drops) the database of this exact name.
    DATABASES["default"]["TEST"] = {"NAME": _db_name}

# Social login needs a provider. GitHub's backend from social-auth builds its authorization
# URL without a network call, and the benchmark requests only that URL.
SOCIAL_PROVIDER = "github"
if module_exists("djoser.social"):
    AUTHENTICATION_BACKENDS = [
        *getattr(
            demo_settings,
            "AUTHENTICATION_BACKENDS",
            ["django.contrib.auth.backends.ModelBackend"],
        ),
        "social_core.backends.github.GithubOAuth2",
    ]
    SOCIAL_AUTH_GITHUB_KEY = "djoser-bench-client"
    SOCIAL_AUTH_GITHUB_SECRET = "djoser-bench-secret"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Warnings such as 4xx responses would flood the output of a load test.
    "loggers": {"django": {"handlers": ["console"], "level": "ERROR"}},
}
