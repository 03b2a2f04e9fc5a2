"""App configuration of the test user model with email as the username."""

from django.apps import AppConfig


class EmailUserConfig(AppConfig):
    name = "tests.apps.email_user"
    label = "email_user"
