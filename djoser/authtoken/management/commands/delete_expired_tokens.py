"""``manage.py delete_expired_tokens``: delete the hashed auth tokens that have expired."""

from django.core.management.base import BaseCommand

from djoser.authtoken.models import AuthToken


class Command(BaseCommand):
    help = (
        "Delete djoser auth tokens that have expired under DJOSER['TOKEN_IDLE_TIMEOUT'] "
        "or DJOSER['TOKEN_LIFETIME']. Expired tokens never authenticate; this only frees "
        "their rows. Run it from cron or a task scheduler."
    )

    def handle(self, *args, **options):
        deleted, _by_model = AuthToken.objects.expired().delete()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Deleted {deleted} expired auth token(s).")
