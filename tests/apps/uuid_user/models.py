"""A user model like Django's ``User`` but with a UUID primary key."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


class UUIDUser(AbstractUser):
    """An account whose primary key (and so its emailed ``uid``) is a random UUID."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
