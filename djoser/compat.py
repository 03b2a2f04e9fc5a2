"""Helpers that read a user model's email field, whatever it is called."""


def get_user_email_field_name(user):
    """Return the name of the email field of ``user``'s model."""
    return user.get_email_field_name()


def get_user_email(user):
    """Return the email address stored on ``user``, or None when the model has none."""
    return getattr(user, get_user_email_field_name(user), None)
