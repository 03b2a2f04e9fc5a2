"""App configuration of the test user model with a UUID primary key."""

from django.apps import AppConfig


class UUIDUserConfig(AppConfig):
    name = "tests.apps.uuid_user"
    label = "uuid_user"
