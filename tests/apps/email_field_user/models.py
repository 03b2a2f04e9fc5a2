"""A user model whose ``EMAIL_FIELD`` is ``contact_email``; it has no ``email`` field."""

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models


class ContactEmailUserManager(BaseUserManager):
    """Create users from a username, a ``contact_email`` and a password.

    Django's own ``UserManager`` passes ``email=`` to the model, which has no such field.
    """

    use_in_migrations = True

    def _create_user(self, username, contact_email, password, **extra_fields):
        if not username:
            raise ValueError("ContactEmailUser requires a username.")
        user = self.model(
            username=self.model.normalize_username(username),
            contact_email=self.normalize_email(contact_email),
            **extra_fields,
        )
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, username, contact_email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(username, contact_email, password, **extra_fields)

    def create_superuser(self, username, contact_email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(username, contact_email, password, **extra_fields)


class ContactEmailUser(AbstractUser):
    """An account whose email address lives in ``contact_email``."""

    email = None
    contact_email = models.EmailField("contact email address", blank=True)

    objects = ContactEmailUserManager()

    EMAIL_FIELD = "contact_email"
    REQUIRED_FIELDS = ["contact_email"]
