"""Emails that wait until the response has been sent.

Rendering an email and talking to the mail server take time. Inside a request that time
would show in the response, so reset password would respond to a known email address more
slowly than to an unknown one and tell an attacker which addresses have accounts. A view
wrapped in ``SendEmailsAfterResponseMixin`` therefore collects its emails in an ``Outbox``
and sends them when Django closes the response, which happens after the body has gone to
the client. Django's WSGI and ASGI handlers and its test client all close responses.
"""

import contextvars

from django.db import transaction

current_outbox = contextvars.ContextVar("djoser_outbox", default=None)


class Outbox:
    """The email deliveries of one request, run when its response is closed."""

    def __init__(self):
        self.deliveries = []
        self.closed = False

    def add(self, delivery):
        """Queue ``delivery``; run it at once if the response is already closed."""
        if self.closed:
            delivery()
        else:
            self.deliveries.append(delivery)

    def close(self):
        """Run every queued delivery; later ones run as they are added."""
        self.closed = True
        while self.deliveries:
            self.deliveries.pop(0)()


def send_after_response(delivery):
    """Run ``delivery`` once the transaction commits and the response has been sent.

    Outside a view that collects emails (a management command, a shell), ``delivery``
    runs when the transaction commits. A rolled-back transaction never runs it.
    """
    outbox = current_outbox.get()
    if outbox is None:
        transaction.on_commit(delivery)
    else:
        transaction.on_commit(lambda: outbox.add(delivery))


class SendEmailsAfterResponseMixin:
    """A DRF view whose emails are sent after its response, not during the request."""

    def dispatch(self, request, *args, **kwargs):
        outbox = Outbox()
        token = current_outbox.set(outbox)
        try:
            response = super().dispatch(request, *args, **kwargs)
        except BaseException:
            # Changes committed before the error keep their emails.
            outbox.close()
            raise
        finally:
            current_outbox.reset(token)
        # HttpResponse.close() calls each of these once the body is sent. The list is
        # private to Django, which closes FileResponse's file through it.
        # NOTE: a middleware that replaces this response object drops the emails that
        # are still queued.
        response._resource_closers.append(outbox.close)
        return response
