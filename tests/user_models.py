"""The user models the suite runs against, one pytest process per model.

Each entry maps the value of ``DJOSER_TEST_USER_MODEL`` to (the test app that defines the
model, or None, and the ``AUTH_USER_MODEL`` label).
"""

import os

USER_MODELS = {
    "default": (None, "auth.User"),
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
