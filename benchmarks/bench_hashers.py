"""Password hashers that count their hash computations, for the benchmark's "hashes" column.

Each class keeps the algorithm name of the hasher it extends, so the passwords it stores
are ordinary Django password hashes. Django's hashers compute a hash in ``encode()``:
``make_password()`` calls it once, and ``verify()`` calls it once to compare.
"""

import threading

from django.conf import global_settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.utils.module_loading import import_string

_lock = threading.Lock()
_count = 0


def hash_count():
    """Return how many hashes the counting hashers have computed in this process."""
    return _count


class CountingMixin:
    def encode(self, *args, **kwargs):
        global _count
        with _lock:
            _count += 1
        return super().encode(*args, **kwargs)


class CountingMD5PasswordHasher(CountingMixin, MD5PasswordHasher):
    """Salted MD5: cheap, so the time djoser and Django spend around the hash shows."""


# The first entry of Django's own PASSWORD_HASHERS (PBKDF2 with SHA256 in Django 5.2 and 6.0),
# read from the installed Django so the benchmark follows its iteration count.
DefaultHasher = import_string(global_settings.PASSWORD_HASHERS[0])


class CountingDefaultPasswordHasher(CountingMixin, DefaultHasher):
    """Django's default password hasher, as a project that sets no PASSWORD_HASHERS uses it."""


HASHERS = {
    "md5": "bench_hashers.CountingMD5PasswordHasher",
    "default": "bench_hashers.CountingDefaultPasswordHasher",
}
