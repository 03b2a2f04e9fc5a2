"""A password hasher that counts its hashes, so tests can assert how many a request costs."""

import threading
from contextlib import contextmanager

from django.contrib.auth.hashers import MD5PasswordHasher

HASHER_PATH = "tests.hashers.CountingMD5PasswordHasher"

_lock = threading.Lock()


class CountingMD5PasswordHasher(MD5PasswordHasher):
    """Django's MD5 hasher, under the same algorithm name, counting every hash it computes.

    Setting and checking a password both go through ``encode``, and so does the dummy hash
    that Django's ``ModelBackend`` computes for an unknown account.
    """

    count = 0
    # The length of each password hashed, in order.
    lengths = []

    def encode(self, password, salt):
        with _lock:
            type(self).count += 1
            type(self).lengths.append(len(password))
        return super().encode(password, salt)


@contextmanager
def count_hashes(settings):
    """Install the counting hasher through the ``settings`` fixture; yield a reader.

    The yielded function returns the number of hashes computed since the block began.
    """
    settings.PASSWORD_HASHERS = [HASHER_PATH]
    start = CountingMD5PasswordHasher.count
    yield lambda: CountingMD5PasswordHasher.count - start


@contextmanager
def record_hashed_lengths(settings):
    """Install the counting hasher; yield a function returning the lengths hashed since."""
    settings.PASSWORD_HASHERS = [HASHER_PATH]
    start = len(CountingMD5PasswordHasher.lengths)
    yield lambda: CountingMD5PasswordHasher.lengths[start:]
