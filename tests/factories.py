"""Create users of whichever user model the suite runs against."""

from django.contrib.auth import get_user_model

PASSWORD = "correct-horse-battery"

_counter = {"value": 0}


def user_values(**overrides):
    """Return ``create_user`` keyword arguments for the selected model, with ``overrides``."""
    user_model = get_user_model()
    _counter["value"] += 1
    values = {}
    username_field = user_model.USERNAME_FIELD
    email_field = user_model.get_email_field_name()
    if username_field == email_field:
        # An email-login model: the email is the username.
        email = overrides.pop("email", None)
        username = overrides.pop("username", None)
        values[username_field] = email or (f"{username}@example.com" if username else "john@example.com")
    else:
        values[username_field] = overrides.pop("username", "john")
        values[email_field] = overrides.pop("email", "john@example.com")
    values.update(required_field_values(user_model))
    values.update(overrides)
    return values


def required_field_values(user_model):
    """Return values for the model's extra required fields (set by the test models)."""
    factory = getattr(user_model, "test_required_values", None)
    return factory() if factory else {}


def create_user(password=PASSWORD, **overrides):
    """Create and return a user with ``password``."""
    user_model = get_user_model()
    values = user_values(**overrides)
    user = user_model.objects.create_user(password=password, **values)
    return user
