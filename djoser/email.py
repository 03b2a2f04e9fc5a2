"""Email classes, one per message djoser sends; each is swappable through ``DJOSER["EMAIL"]``."""

from django.contrib.auth.tokens import default_token_generator
from templated_mail.mail import BaseEmailMessage

from djoser import utils
from djoser.conf import settings
from djoser.tokens import activation_token_generator, username_reset_token_generator


class DjoserEmail(BaseEmailMessage):
    """An email about one account, rendered from ``template_name``.

    ``djoser.flows.send_email`` builds the context (``user``, ``domain``, ``protocol``,
    ``site_name``) and passes no request, so the email can be pickled for queued mail back
    ends and its links never depend on the request's Host header. Subclasses that send a
    link set ``url_setting`` (the ``DJOSER`` key of the front-end URL template) and
    ``token_generator``. The link's ``uid``, ``token`` and ``url`` are added when the email
    is rendered, which happens after the change has committed.
    """

    url_setting = None
    token_generator = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.url_setting is not None:
            user = context["user"]
            context["uid"] = utils.encode_uid(user.pk)
            context["token"] = self.token_generator.make_token(user)
            context["url"] = self.get_url_template().format(**context)
        return context

    def get_url_template(self):
        """Return the front-end URL template this email's link is built from."""
        return getattr(settings, self.url_setting)

    def is_sendable(self):
        """Return False when the email needs a link template that is not configured."""
        return self.url_setting is None or bool(self.get_url_template())


class ActivationEmail(DjoserEmail):
    """The activation link, sent at registration and when an account's address changes."""

    template_name = "email/activation.html"
    url_setting = "ACTIVATION_URL"
    token_generator = activation_token_generator


class ConfirmationEmail(DjoserEmail):
    """The notice that an account is active, sent after registration or activation."""

    template_name = "email/confirmation.html"


class PasswordResetEmail(DjoserEmail):
    """The password reset link."""

    template_name = "email/password_reset.html"
    url_setting = "PASSWORD_RESET_CONFIRM_URL"
    token_generator = default_token_generator


class PasswordChangedConfirmationEmail(DjoserEmail):
    """The notice that an account's password changed, by set password or a reset."""

    template_name = "email/password_changed_confirmation.html"


class UsernameChangedConfirmationEmail(DjoserEmail):
    """The notice that an account's username changed, by set username or a reset."""

    template_name = "email/username_changed_confirmation.html"


class UsernameResetEmail(DjoserEmail):
    """The username reset link."""

    template_name = "email/username_reset.html"
    url_setting = "USERNAME_RESET_CONFIRM_URL"
    token_generator = username_reset_token_generator


class AccountExistsEmail(DjoserEmail):
    """The notice to an account's owner that someone tried to register with its address.

    Sent in place of an error when ``REGISTRATION_HIDE_TAKEN_EMAIL`` is on.
    """

    template_name = "email/account_exists.html"
