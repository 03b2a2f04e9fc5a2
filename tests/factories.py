"""Build users and request bodies for whichever user model the suite runs against.

The model is picked by ``DJOSER_TEST_USER_MODEL`` (see ``tests/user_models.py``). Tests
name the usual fields ``username`` and ``email``, and these helpers map them onto the
model's ``USERNAME_FIELD`` and email field. So one test runs unchanged on every model:

- ``create_user(**overrides)`` saves a user whose password is ``PASSWORD``;
- ``registration_data(**overrides)`` is a valid body for ``POST users/``;
- ``login_data(user)`` is a valid body for token login and JWT create;
- ``user_body(user)`` is the body that ``users/me/`` and ``users/{id}/`` return by default;
- ``username_value(name)`` is a valid ``USERNAME_FIELD`` value built from ``name``.

A model with extra required fields lists valid values for them in a classmethod
``test_required_values()``.
"""

import uuid

from django.contrib.auth import get_user_model
from django.db import models

from djoser.conf import settings as djoser_settings

PASSWORD = "correct-horse-battery"


def username_field():
    """Return the name of the selected model's ``USERNAME_FIELD``."""
    return get_user_model().USERNAME_FIELD


def email_field():
    """Return the name of the selected model's email field."""
    return get_user_model().get_email_field_name()


def is_email_login_model():
    """Return True when the model's username is its email address."""
    return username_field() == email_field()


def username_value(name):
    """Return a valid ``USERNAME_FIELD`` value built from ``name``.

    ``name`` is returned as it is on a model with a username, and turned into an address at
    example.com on a model whose username is its email.
    """
    if is_email_login_model() and "@" not in name:
        return f"{name}@example.com"
    return name


def user_values(**overrides):
    """Return ``create_user`` keyword arguments for the selected model, with ``overrides``.

    ``username`` and ``email`` in ``overrides`` go to the model's ``USERNAME_FIELD`` and
    email field; other keys are model field names, passed on unchanged.
    """
    user_model = get_user_model()
    username = overrides.pop("username", None)
    email = overrides.pop("email", None)
    values = {}
    if is_email_login_model():
        values[username_field()] = email or username_value(username or "john")
    else:
        values[username_field()] = username or "john"
        values[email_field()] = email if email is not None else "john@example.com"
    values.update(required_field_values(user_model))
    values.update(overrides)
    return values


def required_field_values(user_model=None):
    """Return values for the model's extra required fields, from ``test_required_values()``."""
    user_model = user_model or get_user_model()
    factory = getattr(user_model, "test_required_values", None)
    return factory() if factory else {}


def create_user(password=PASSWORD, **overrides):
    """Create and return a user with ``password``."""
    user_model = get_user_model()
    values = user_values(**overrides)
    return user_model.objects.create_user(password=password, **values)


def registration_data(**overrides):
    """Return a valid JSON body for registration (``POST users/``) on the selected model.

    The defaults (``newuser``, ``newuser@example.com``, ``PASSWORD``) do not clash with the
    ``user`` fixture. ``username`` and ``email`` are mapped as in ``user_values``; related
    objects become their primary keys, as a client would send them.
    """
    overrides.setdefault("username", "newuser")
    overrides.setdefault("email", "newuser@example.com")
    password = overrides.pop("password", PASSWORD)
    data = {name: to_json(value) for name, value in user_values(**overrides).items()}
    data["password"] = password
    return data


def login_data(user, password=PASSWORD):
    """Return a token login or JWT create body for ``user``, keyed by ``LOGIN_FIELD``."""
    login_field = djoser_settings.LOGIN_FIELD
    return {login_field: getattr(user, login_field), "password": password}


def user_body(user, *extra_fields):
    """Return the body djoser shows for ``user`` by default, plus ``extra_fields``.

    That body holds ``USER_ID_FIELD``, ``USERNAME_FIELD``, ``LOGIN_FIELD`` and the model's
    ``REQUIRED_FIELDS``, each as JSON renders it.
    """
    user_model = get_user_model()
    names = [djoser_settings.USER_ID_FIELD, user_model.USERNAME_FIELD, djoser_settings.LOGIN_FIELD]
    names += list(user_model.REQUIRED_FIELDS) + list(extra_fields)
    return {name: to_json(getattr(user, name)) for name in dict.fromkeys(names)}


def to_json(value):
    """Return ``value`` as a JSON body carries it: related objects by pk, UUIDs as strings."""
    if isinstance(value, models.Model):
        value = value.pk
    if isinstance(value, uuid.UUID):
        return str(value)
    return value
