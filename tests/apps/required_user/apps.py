"""App configuration of the test user model with extra required fields."""

from django.apps import AppConfig


class RequiredUserConfig(AppConfig):
    name = "tests.apps.required_user"
    label = "required_user"
