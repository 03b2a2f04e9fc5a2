"""Account flows: each changes the database, schedules its emails and sends its signal.

Views validate the request and call one function here. Emails go out only once the
database change has committed, so a rolled-back request never sends a link to a state
that does not exist, and a failed send never undoes the change.
"""

import logging
import unicodedata

from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY, get_user_model, update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.utils import translation

from djoser import outbox, signals, utils
from djoser.compat import get_user_email, get_user_email_field_name
from djoser.conf import settings

logger = logging.getLogger(__name__)


def get_site_context():
    """Return ``domain``, ``protocol`` and ``site_name`` for links in emails.

    The domain comes from ``EMAIL_FRONTEND_DOMAIN``, then the ``DOMAIN`` setting of
    django-templated-mail, then the Sites framework. The request's Host header is never
    used, since an attacker controls it and could point reset links at their own server.
    """
    domain = settings.EMAIL_FRONTEND_DOMAIN or getattr(django_settings, "DOMAIN", "")
    site_name = settings.EMAIL_FRONTEND_SITE_NAME or getattr(django_settings, "SITE_NAME", "")
    if (not domain or not site_name) and apps.is_installed("django.contrib.sites"):
        from django.contrib.sites.models import Site

        site = Site.objects.get_current()
        domain = domain or site.domain
        site_name = site_name or site.name
    return {
        "domain": domain,
        "protocol": settings.EMAIL_FRONTEND_PROTOCOL or "https",
        "site_name": site_name or domain,
    }


def send_email(name, user, recipient=None):
    """Send the ``DJOSER["EMAIL"][name]`` email about ``user`` once the transaction commits.

    In a djoser view the email is built, rendered and sent only after the response (see
    ``djoser.outbox``), so a request costs the same time whether or not it sends one.
    ``recipient`` defaults to the address stored on the account. The active language is
    kept, so the email is written in the language of the request that caused it.
    """
    recipient = recipient or get_user_email(user)
    email_class = getattr(settings.EMAIL, name)
    if not recipient:
        if getattr(email_class, "url_setting", None) is not None:
            # Without its link the account may be stuck (inactive, for one), so an
            # operator hears of it. Notices without a link are skipped quietly.
            logger.warning(
                "The %s email for user %s was not sent: the account has no email address.",
                name,
                user.pk,
            )
        return
    language = translation.get_language()
    outbox.send_after_response(
        lambda: deliver_email(name, email_class, user, recipient, language)
    )


def deliver_email(name, email_class, user, recipient, language):
    """Build, render and send an ``email_class`` email now; log a failure, never raise it."""
    try:
        with translation.override(language):
            email = email_class(request=None, context={"user": user, **get_site_context()})
            is_sendable = getattr(email, "is_sendable", None)
            if is_sendable is not None and not is_sendable():
                logger.error(
                    "The %s email for user %s was not sent: its URL template (DJOSER[%r]) "
                    "is not set.",
                    name,
                    user.pk,
                    getattr(email, "url_setting", None),
                )
                return
            email.send([recipient])
    except Exception:
        # A mail server that is down or rejects the message must not turn a committed change
        # into an error response. The user can request the email again (resend or reset).
        logger.exception(
            "Sending the %s email for user %s failed; the change to the account is saved.",
            name,
            user.pk,
        )


def find_users_by_email(email, *, is_active):
    """Return the accounts whose stored email matches ``email``, ignoring case.

    Several accounts may share one address, and each of them is returned. ``is_active=None``
    returns active and inactive accounts alike. The database's
    case-insensitive match is checked again in Python: PostgreSQL's ``UPPER()`` maps the
    dotless "ı" to "I", so "mıke@example.com" would match the account of "mike@example.com".
    Django's password reset form checks the same way.
    """
    user_model = get_user_model()
    email_field = user_model.get_email_field_name()
    filters = {f"{email_field}__iexact": email}
    if is_active is not None:
        filters["is_active"] = is_active
    users = user_model._default_manager.filter(**filters)
    wanted = fold_email(email)
    return [user for user in users if fold_email(getattr(user, email_field)) == wanted]


def fold_email(email):
    """Return ``email`` normalised for a case-insensitive comparison of Unicode text."""
    return unicodedata.normalize("NFKC", email).casefold()


def register_user(sender, request, user):
    """Send the signal and confirmation email that follow a registration.

    The activation email, when activation is on, is sent by the view's
    ``send_activation_email`` hook, which projects override.
    """
    signals.user_registered.send(sender=sender, user=user, request=request)
    if settings.SEND_CONFIRMATION_EMAIL and not settings.SEND_ACTIVATION_EMAIL:
        send_email("confirmation", user)


def report_taken_email(users, password):
    """Email the owners of an address that a registration tried to use again.

    Registration then creates nothing but returns as if it had. The password is hashed
    and dropped, so the request costs the one hash that creating an account costs.
    """
    make_password(password)
    for user in users:
        send_email("account_exists", user)


def activate_user(sender, request, user):
    """Mark ``user`` active and send the confirmation email if configured."""
    user.is_active = True
    user.save(update_fields=["is_active"])
    signals.user_activated.send(sender=sender, user=user, request=request)
    if settings.SEND_CONFIRMATION_EMAIL:
        send_email("confirmation", user)


def resend_activation(users):
    """Send a new activation link to every inactive account in ``users``."""
    for user in users:
        send_email("activation", user)


def update_user(sender, request, serializer):
    """Save the changes in ``serializer`` and send ``user_updated``.

    When activation is on and the email address changed, the account goes inactive until
    the new address is confirmed through the activation link sent to it.
    """
    user = serializer.instance
    email_field = get_user_email_field_name(user)
    old_email = get_user_email(user)
    new_email = serializer.validated_data.get(email_field, old_email)
    if settings.SEND_ACTIVATION_EMAIL and new_email != old_email and has_is_active_field(user):
        # The UPDATE that stores the new address also makes the account inactive.
        user = serializer.save(is_active=False)
    else:
        user = serializer.save()
    if settings.SEND_ACTIVATION_EMAIL and get_user_email(user) != old_email:
        deactivate_for_new_email(user, email_field)
    signals.user_updated.send(sender=sender, user=user, request=request)
    return user


def has_is_active_field(user):
    """Return True if ``user``'s model stores ``is_active`` in a column."""
    return any(field.name == "is_active" for field in user._meta.concrete_fields)


def deactivate_for_new_email(user, email_field):
    """Make ``user`` inactive and email an activation link to their new address.

    A caller that already saved the account as inactive costs no second UPDATE here.
    """
    if user.is_active and has_is_active_field(user):
        user.is_active = False
        user.save(update_fields=["is_active"])
    send_email("activation", user)


def set_password(sender, request, user, password):
    """Change ``user``'s password through set password and end sessions as configured."""
    user.set_password(password)
    user.save(update_fields=["password"])
    signals.password_changed.send(sender=sender, user=user, request=request)
    if settings.PASSWORD_CHANGED_EMAIL_CONFIRMATION:
        send_email("password_changed_confirmation", user)


def reset_password(sender, request, user, password):
    """Set ``user``'s password through a reset link; the link stops working with it.

    A reset is how an owner takes back an account, so every login made before it ends too
    (see ``utils.revoke_user_tokens``).
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    utils.revoke_user_tokens(user)
    signals.password_reset_completed.send(sender=sender, user=user, request=request)
    if settings.PASSWORD_CHANGED_EMAIL_CONFIRMATION:
        send_email("password_changed_confirmation", user)


def change_username(sender, request, user, username):
    """Set ``user``'s ``USERNAME_FIELD`` and send the confirmation email if configured."""
    username_field = user.USERNAME_FIELD
    old_username = getattr(user, username_field)
    setattr(user, username_field, username)
    update_fields = [username_field]
    # On a model whose username is its email, a new address must be confirmed again.
    is_new_email = (
        username_field == get_user_email_field_name(user) and username != old_username
    )
    if settings.SEND_ACTIVATION_EMAIL and is_new_email and has_is_active_field(user):
        # One UPDATE stores the new address and makes the account inactive until the
        # activation link sent to that address is used.
        user.is_active = False
        update_fields.append("is_active")
    user.save(update_fields=update_fields)
    signals.username_changed.send(sender=sender, user=user, request=request)
    if settings.USERNAME_CHANGED_EMAIL_CONFIRMATION:
        send_email("username_changed_confirmation", user)
    if settings.SEND_ACTIVATION_EMAIL and is_new_email:
        deactivate_for_new_email(user, username_field)


def delete_user(sender, request, user):
    """Delete ``user`` and send ``user_deleted``."""
    pk = user.pk
    # Model.delete() runs its cascade in a transaction of its own, so no savepoint is needed.
    user.delete()
    # Django clears the primary key of a deleted instance. Receivers get it back, as
    # Django's own post_delete receivers do, so they can tell which account was deleted.
    user.pk = pk
    signals.user_deleted.send(sender=sender, user=user, request=request)


def keep_session_after_password_change(request, user):
    """Keep the current session valid after its user's password changed.

    Django ends every session whose stored password hash no longer matches; this updates
    the current session's hash, so only the other sessions end.
    """
    session = getattr(request, "session", None)
    # Only a session that is logged in has a hash to update; touching an empty one would
    # create a session row for every token-authenticated request.
    if session is not None and session.get(SESSION_KEY):
        update_session_auth_hash(request, user)
