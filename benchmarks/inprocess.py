"""Run the scenarios in this process through DRF's test client and measure each request.

For every request the runner counts the data queries (transaction statements aside), the
password hashes and the emails sent, and times the client call alone. Preparing a request
(creating accounts, making link tokens, clearing the throttle counters) is not timed.
"""

import statistics
import time
from dataclasses import asdict, dataclass, field

from django.contrib.auth.hashers import get_hasher
from django.core import mail
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

import bench_hashers
from scenarios import PASSWORD, Accounts

TRANSACTION_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")

# Untimed requests before the timed ones: the first request of a scenario fills caches
# and, for token login, creates the token row once.
WARMUP_REQUESTS = 1

# Timed requests that run even when a scenario has used up its time budget.
MIN_REQUESTS = 3


class QueryCounter:
    """A database execute wrapper that counts data queries and keeps the latest ones."""

    def __init__(self):
        self.count = 0
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        if not sql.lstrip().upper().startswith(TRANSACTION_STATEMENTS):
            self.count += 1
        self.statements.append(sql)
        return execute(sql, params, many, context)


@dataclass
class Result:
    name: str
    notes: str = ""
    requests: int = 0
    seconds: float = 0.0
    latencies: list = field(default_factory=list, repr=False)
    # For hash-bound endpoints: one hash timed after each request, in the same conditions.
    hash_latencies: list = field(default_factory=list, repr=False)
    queries: float = 0.0
    hashes: float = 0.0
    emails: float = 0.0
    errors: int = 0
    error_sample: str = ""
    # The SQL of the last timed request, transaction statements included.
    statements: list = field(default_factory=list)

    @property
    def median_ms(self):
        return statistics.median(self.latencies) * 1000 if self.latencies else None

    @property
    def hash_ms(self):
        return statistics.median(self.hash_latencies) * 1000 if self.hash_latencies else None

    @property
    def per_second(self):
        return self.requests / self.seconds if self.seconds else None

    def as_dict(self):
        data = asdict(self)
        del data["latencies"]
        del data["hash_latencies"]
        data["median_ms"] = self.median_ms
        data["hash_ms"] = self.hash_ms
        data["per_second"] = self.per_second
        return data


def send(client, request):
    """Send ``request`` through the test client and return the response."""
    extra = {}
    if request.authorization:
        extra["HTTP_AUTHORIZATION"] = request.authorization
    method = request.method.lower()
    if method == "get":
        return client.get(request.path, **extra)
    return getattr(client, method)(request.path, request.data, format="json", **extra)


def measure(item, accounts, max_requests, budget_seconds):
    """Run one scenario; return its ``Result``."""
    result = Result(item.name, item.notes)
    requests = item.function(accounts)
    client = APIClient()
    counter = QueryCounter()
    totals = {"queries": 0, "hashes": 0, "emails": 0}

    with connection.execute_wrapper(counter):
        for number in range(WARMUP_REQUESTS + max_requests):
            # Throttles stay on and cost what they cost, but must not reject a request.
            cache.clear()
            mail.outbox = []
            request = next(requests)

            counter.statements = []
            queries_before = counter.count
            hashes_before = bench_hashers.hash_count()
            started = time.perf_counter()
            response = send(client, request)
            elapsed = time.perf_counter() - started

            if response.status_code != item.expected_status:
                result.errors += 1
                if not result.error_sample:
                    body = response.content[:300].decode("utf-8", "replace")
                    result.error_sample = f"{request.method} {request.path}: {response.status_code} {body}"
            if number < WARMUP_REQUESTS:
                continue
            result.requests += 1
            result.seconds += elapsed
            result.latencies.append(elapsed)
            totals["queries"] += counter.count - queries_before
            totals["hashes"] += bench_hashers.hash_count() - hashes_before
            totals["emails"] += len(mail.outbox)
            result.statements = counter.statements
            if item.hash_bound:
                result.hash_latencies.append(time_one_hash())
            if result.requests >= MIN_REQUESTS and result.seconds >= budget_seconds:
                break

    requests.close()
    for name, total in totals.items():
        setattr(result, name, total / result.requests)
    return result


def time_one_hash():
    """Return the time, in seconds, of one hash by the first configured password hasher."""
    hasher = get_hasher()
    salt = hasher.salt()
    started = time.perf_counter()
    hasher.encode(PASSWORD, salt)
    return time.perf_counter() - started


def run(items, max_requests, budget_seconds, progress=None):
    """Run ``items`` against the configured database; return their results."""
    accounts = Accounts()
    results = []
    for item in items:
        if progress:
            progress(item.name)
        results.append(measure(item, accounts, max_requests, budget_seconds))
    return results
