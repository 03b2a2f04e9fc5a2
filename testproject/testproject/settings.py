"""Settings of the djoser demo project.

Environment variables switch its main features without editing this file:

- ``DJOSER_DB``: ``sqlite`` (default, ``db.sqlite3`` beside ``manage.py``) or ``postgresql``
  (connection from the standard ``PGHOST``, ``PGPORT``, ``PGUSER``, ``PGPASSWORD`` and
  ``PGDATABASE`` variables).
- ``DJOSER_DEMO_ACTIVATION=1``: registration creates inactive accounts and prints the
  activation email on the console.
- ``DJOSER_DEMO_CONFIRMATION=1``: send the confirmation emails after activation and password
  or username changes.
- ``DJOSER_DEMO_HASHED_TOKENS=1``: token login issues djoser.authtoken's hashed tokens, one
  per login, in place of DRF's single token per user.
- ``DJOSER_DEMO_JWT_COOKIES=1``: JWT create and refresh also set the tokens as HttpOnly
  cookies, which authenticate requests (with the CSRF token for unsafe methods).
- ``DJOSER_DEMO_REDIS_URL``: keep the cache, and with it djoser's throttle counters, in
  Redis at this URL (for example ``redis://127.0.0.1:6390/0``), so several server processes
  enforce one limit. Without it, each process counts in its own memory.
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name):
    return os.environ.get(name, "").lower() in ("1", "true", "yes", "on")


# The demo is meant for 127.0.0.1 only; never deploy it with this key.
SECRET_KEY = os.environ.get("DJOSER_DEMO_SECRET_KEY", "demo-only-insecure-key-do-not-deploy")
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "social_django",
    "djoser",
    "djoser.authtoken",
    "rest_framework_simplejwt.token_blacklist",
]

# drf-spectacular is optional (`pip install djoser[schema]`); when it is installed, the
# demo serves its OpenAPI schema at /schema/ and `manage.py spectacular` writes it.
if importlib.util.find_spec("drf_spectacular") is not None:
    INSTALLED_APPS.append("drf_spectacular")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "testproject.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "testproject.wsgi.application"

if os.environ.get("DJOSER_DB", "sqlite") == "postgresql":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "djoser"),
            "USER": os.environ.get("PGUSER", ""),
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
            "HOST": os.environ.get("PGHOST", ""),
            "PORT": os.environ.get("PGPORT", ""),
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

if os.environ.get("DJOSER_DEMO_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["DJOSER_DEMO_REDIS_URL"],
            # Keeps the demo's keys apart from anything else stored in the same database.
            "KEY_PREFIX": "djoser-demo",
        }
    }

# Django's password validators, as a new project has them: registration and password
# changes run them against the account (the sample flow's "alpine12" passes).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "djoser-demo@localhost"

TOKEN_AUTHENTICATION = (
    "djoser.authtoken.authentication.TokenAuthentication"
    if env_flag("DJOSER_DEMO_HASHED_TOKENS")
    else "rest_framework.authentication.TokenAuthentication"
)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": (
        TOKEN_AUTHENTICATION,
        # SimpleJWT's header authentication, plus the access cookie in cookie mode.
        "djoser.jwt_cookies.JWTCookieAuthentication",
    ),
    # The demo serves clients directly, with no proxy: throttles read REMOTE_ADDR and
    # ignore X-Forwarded-For.
    "NUM_PROXIES": 0,
}
if "drf_spectacular" in INSTALLED_APPS:
    REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "drf_spectacular.openapi.AutoSchema"
    SPECTACULAR_SETTINGS = {
        "TITLE": "djoser demo",
        "DESCRIPTION": "The endpoints of djoser, mounted under /auth/.",
        "VERSION": "1.0.0",
        "SERVE_INCLUDE_SCHEMA": False,
    }

SIMPLE_JWT = {
    "AUTH_HEADER_TYPES": ("Bearer", "JWT"),
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=5),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=1),
}

DJOSER = {
    "SEND_ACTIVATION_EMAIL": env_flag("DJOSER_DEMO_ACTIVATION"),
    "SEND_CONFIRMATION_EMAIL": env_flag("DJOSER_DEMO_CONFIRMATION"),
    "PASSWORD_CHANGED_EMAIL_CONFIRMATION": env_flag("DJOSER_DEMO_CONFIRMATION"),
    "USERNAME_CHANGED_EMAIL_CONFIRMATION": env_flag("DJOSER_DEMO_CONFIRMATION"),
    "ACTIVATION_URL": "#/activate/{uid}/{token}",
    "PASSWORD_RESET_CONFIRM_URL": "#/password/reset/confirm/{uid}/{token}",
    "USERNAME_RESET_CONFIRM_URL": "#/username/reset/confirm/{uid}/{token}",
    "EMAIL_FRONTEND_DOMAIN": "127.0.0.1:8088",
    "EMAIL_FRONTEND_PROTOCOL": "http",
    "EMAIL_FRONTEND_SITE_NAME": "djoser demo",
    "SOCIAL_AUTH_ALLOWED_REDIRECT_URIS": ["http://127.0.0.1:8088/social/callback/"],
    "JWT_COOKIE_MODE": "cookie_and_body" if env_flag("DJOSER_DEMO_JWT_COOKIES") else None,
    # The demo serves plain http, and browsers keep Secure cookies for HTTPS.
    "JWT_COOKIE_SECURE": False,
}
if env_flag("DJOSER_DEMO_HASHED_TOKENS"):
    DJOSER["TOKEN_MODEL"] = "djoser.authtoken.models.AuthToken"
