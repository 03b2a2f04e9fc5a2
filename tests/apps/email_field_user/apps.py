"""App configuration of the test user model with a custom email field name."""

from django.apps import AppConfig


class EmailFieldUserConfig(AppConfig):
    name = "tests.apps.email_field_user"
    label = "email_field_user"
