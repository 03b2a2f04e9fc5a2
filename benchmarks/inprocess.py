"""Run the scenarios in this process through DRF's test client and measure each request.

For every request the runner counts the data queries (transaction statements aside), the
password hashes and the emails sent, and times the client call alone, both in wall-clock
time and in CPU time of this thread. CPU time leaves out waiting for the database's disk
and for a CPU that other processes hold, so it varies less on a shared machine. Preparing a
request (creating accounts, making link tokens, clearing the throttle counters) is not
timed.
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
    cpu_times: list = field(default_factory=list, repr=False)
    # For hash-bound endpoints: one hash timed before and one after each request, and the
    # request's time over the mean of the two, so that a busy moment affects both alike.
    # Each list holds (wall-clock, CPU) pairs.
    hash_times: list = field(default_factory=list, repr=False)
    hash_ratios: list = field(default_factory=list, repr=False)
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
    def cpu_ms(self):
        return statistics.median(self.cpu_times) * 1000 if self.cpu_times else None

    def hash_ms(self, index):
        if not self.hash_times:
            return None
        return statistics.median(pair[index] for pair in self.hash_times) * 1000

    def hash_ratio(self, index):
        if not self.hash_ratios:
            return None
        return statistics.median(pair[index] for pair in self.hash_ratios)

    @property
    def per_second(self):
        return self.requests / self.seconds if self.seconds else None

    def as_dict(self):
        data = asdict(self)
        for name in ("latencies", "cpu_times", "hash_times", "hash_ratios"):
            del data[name]
        data["median_ms"] = self.median_ms
        data["cpu_ms"] = self.cpu_ms
        data["hash_ms"] = self.hash_ms(0)
        data["hash_cpu_ms"] = self.hash_ms(1)
        data["hash_ratio"] = self.hash_ratio(0)
        data["hash_cpu_ratio"] = self.hash_ratio(1)
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
            hash_before = time_one_hash() if item.hash_bound else None
            queries_before = counter.count
            hashes_before = bench_hashers.hash_count()
            started = time.perf_counter()
            cpu_started = time.thread_time()
            response = send(client, request)
            cpu_elapsed = time.thread_time() - cpu_started
            elapsed = time.perf_counter() - started

            if response.status_code != item.expected_status:
                result.errors += 1
                if not result.error_sample:
                    body = response.content[:300].decode("utf-8", "replace")
                    result.error_sample = (
                        f"{request.method} {request.path}: {response.status_code} {body}"
                    )
            if number < WARMUP_REQUESTS:
                continue
            result.requests += 1
            result.seconds += elapsed
            result.latencies.append(elapsed)
            result.cpu_times.append(cpu_elapsed)
            totals["queries"] += counter.count - queries_before
            totals["hashes"] += bench_hashers.hash_count() - hashes_before
            totals["emails"] += len(mail.outbox)
            result.statements = counter.statements
            if item.hash_bound:
                hash_after = time_one_hash()
                hash_wall = (hash_before[0] + hash_after[0]) / 2
                hash_cpu = (hash_before[1] + hash_after[1]) / 2
                result.hash_times.append((hash_wall, hash_cpu))
                result.hash_ratios.append((elapsed / hash_wall, cpu_elapsed / hash_cpu))
            if result.requests >= MIN_REQUESTS and result.seconds >= budget_seconds:
                break

    requests.close()
    for name, total in totals.items():
        setattr(result, name, total / result.requests)
    return result


def time_one_hash():
    """Return the wall-clock and CPU seconds of one hash by the first configured hasher."""
    hasher = get_hasher()
    salt = hasher.salt()
    started = time.perf_counter()
    cpu_started = time.thread_time()
    hasher.encode(PASSWORD, salt)
    return time.perf_counter() - started, time.thread_time() - cpu_started


def run(items, max_requests, budget_seconds, progress=None):
    """Run ``items`` against the configured database; return their results."""
    accounts = Accounts()
    results = []
    for item in items:
        if progress:
            progress(item.name)
        results.append(measure(item, accounts, max_requests, budget_seconds))
    return results
