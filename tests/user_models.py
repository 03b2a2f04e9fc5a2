"""The user models the suite runs against, one pytest process per model.

Each entry maps the value of ``DJOSER_TEST_USER_MODEL`` to (the test app that defines the
model, or None, and the ``AUTH_USER_MODEL`` label).
"""

import os

USER_MODELS = {
    # Django's own User.
    "default": (None, "auth.User"),
    # The email is the USERNAME_FIELD; there is no username field.
    "email": ("tests.apps.email_user", "email_user.EmailUser"),
    # A UUID primary key, so ids and emailed uids are not integers.
    "uuid": ("tests.apps.uuid_user", "uuid_user.UUIDUser"),
    # Extra REQUIRED_FIELDS: a required string and a required foreign key.
    "required": ("tests.apps.required_user", "required_user.RequiredFieldsUser"),
    # EMAIL_FIELD is "contact_email"; there is no "email" field.
    "email_field": ("tests.apps.email_field_user", "email_field_user.ContactEmailUser"),
}

DEFAULT_USER_MODEL = "default"


def selected_user_model():
    """Return the name of the user model chosen by ``DJOSER_TEST_USER_MODEL``."""
    name = os.environ.get("DJOSER_TEST_USER_MODEL", DEFAULT_USER_MODEL)
    if name not in USER_MODELS:
        raise ValueError(
            f"DJOSER_TEST_USER_MODEL={name!r} is unknown; choose one of {sorted(USER_MODELS)}."
        )
    return name
