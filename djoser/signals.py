"""Signals sent when an account changes.

Every signal is sent with ``sender`` set to the view class that handled the request and the
keyword arguments ``user`` (the account concerned) and ``request`` (the DRF request). Each is
sent once per event, after the database change has been made. Django's own ``user_logged_in``
and ``user_logged_out`` cover logging in and out, so djoser defines no signal for them.
"""

from django.dispatch import Signal

# A new account was created through registration.
user_registered = Signal()

# An account was activated through its activation link.
user_activated = Signal()

# An account's fields were changed through ``users/me/`` or ``users/{id}/``.
user_updated = Signal()

# A logged-in user changed their own password through set password.
password_changed = Signal()

# A password was set through a password reset link.
password_reset_completed = Signal()

# An account's username (its ``USERNAME_FIELD``) was changed, by set or reset username.
username_changed = Signal()

# An account was deleted. ``user`` is the deleted instance, which keeps its primary key so
# receivers can clean up what they stored about it.
user_deleted = Signal()
