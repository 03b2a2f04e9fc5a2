"""Django settings for djoser's test suite.

``DJOSER_DB`` picks the database: ``sqlite`` (default, in memory) or ``postgresql``
(connection from the standard ``PGHOST``, ``PGPORT``, ``PGUSER``, ``PGPASSWORD`` and
``PGDATABASE`` variables). ``DJOSER_TEST_USER_MODEL`` picks the user model (see
``tests/user_models.py``); it cannot change inside one process, so each model runs in a
pytest process of its own.
"""

import os

from tests.user_models import USER_MODELS, selected_user_model

SECRET_KEY = "tests-only-secret-key-that-is-long-enough-for-hs256"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

USER_MODEL_NAME = selected_user_model()
USER_MODEL_APP, AUTH_USER_MODEL = USER_MODELS[USER_MODEL_NAME]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "rest_framework",
    "rest_framework.authtoken",
    "social_django",
    "djoser",
    # Optional token apps, installed for their tables only: DRF's Token stays TOKEN_MODEL
    # unless a test selects another.
    "djoser.authtoken",
    "knox",
]
if USER_MODEL_APP:
    INSTALLED_APPS.append(USER_MODEL_APP)

# SimpleJWT looks for its blacklist app in INSTALLED_APPS once, at import, and the app adds
# queries to every JWT login, so it cannot be switched on per test. runtests.py runs the
# tests marked jwt_blacklist in a process of their own with DJOSER_TEST_JWT_BLACKLIST=1.
JWT_BLACKLIST = os.environ.get("DJOSER_TEST_JWT_BLACKLIST", "") == "1"
if JWT_BLACKLIST:
    INSTALLED_APPS.append("rest_framework_simplejwt.token_blacklist")

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "tests.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

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
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_I18N = True
USE_TZ = True
LANGUAGE_CODE = "en-us"

# A fast hasher: the hash cost is not what these tests measure.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "djoser.auth_backends.LoginFieldBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "noreply@example.com"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": (
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ),
    # No proxy: throttles read REMOTE_ADDR and ignore X-Forwarded-For.
    "NUM_PROXIES": 0,
}

SIMPLE_JWT = {"AUTH_HEADER_TYPES": ("Bearer", "JWT")}

DJOSER = {
    "ACTIVATION_URL": "#/activate/{uid}/{token}",
    "PASSWORD_RESET_CONFIRM_URL": "#/password/reset/confirm/{uid}/{token}",
    "USERNAME_RESET_CONFIRM_URL": "#/username/reset/confirm/{uid}/{token}",
    "EMAIL_FRONTEND_DOMAIN": "frontend.example.com",
    "EMAIL_FRONTEND_PROTOCOL": "https",
    "EMAIL_FRONTEND_SITE_NAME": "Example",
}
