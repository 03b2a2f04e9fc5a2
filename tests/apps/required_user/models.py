"""A user model with a required string and a required foreign key in ``REQUIRED_FIELDS``."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Organization(models.Model):
    """The organization an account belongs to."""

    name = models.CharField(max_length=100, unique=True)

    def __str__(self):
        return self.name


class RequiredFieldsUser(AbstractUser):
    """An account that cannot exist without a phone number and an organization."""

    phone = models.CharField("phone number", max_length=30)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members"
    )

    REQUIRED_FIELDS = ["email", "phone", "organization"]

    @classmethod
    def test_required_values(cls):
        """Return valid values for the extra required fields, for the test factories."""
        organization, _created = Organization.objects.get_or_create(name="Example Ltd")
        return {"phone": "+44 20 7946 0000", "organization": organization}
