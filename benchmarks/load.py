"""Load-test a gunicorn server of the benchmark settings on 127.0.0.1.

This process creates and seeds the database, then starts gunicorn on a free port of
127.0.0.1 and sends it the request of every repeatable endpoint (one that succeeds again
and again without preparation) from ``--concurrency`` threads. Each request opens its own
connection with ``http.client``, since gunicorn's sync workers close it after each
response. An endpoint stops after ``--load-requests`` requests or ``--load-seconds``
seconds, whichever comes first. No other host is ever contacted.
"""

import http.client
import importlib.util
import json
import math
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import buildinfo
import scenarios

HOST = "127.0.0.1"
BENCH_DIR = Path(__file__).resolve().parent
READY_TIMEOUT_SECONDS = 30
REQUEST_TIMEOUT_SECONDS = 30


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(port, workers):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--pythonpath",
        str(BENCH_DIR),
        "--log-level",
        "warning",
        "bench_wsgi:application",
    ]
    return subprocess.Popen(command, env=dict(os.environ))


def stop_server(process):
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def send(port, request):
    """Send ``request`` to the server on its own connection; return the status and body."""
    headers = {"Content-Type": "application/json"}
    if request.authorization:
        headers["Authorization"] = request.authorization
    body = None if request.data is None else json.dumps(request.data).encode("utf-8")
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        connection.request(request.method, request.path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_ready(port, process):
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    probe = scenarios.Request("GET", "/auth/users/me/")
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {process.returncode} before serving.")
        try:
            send(port, probe)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not respond on {HOST}:{port} within {READY_TIMEOUT_SECONDS} s.")


def percentile(sorted_values, fraction):
    """Return the nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def hammer(port, item, request, concurrency, max_requests, max_seconds):
    """Send ``request`` from ``concurrency`` threads until a limit is reached; return a row."""
    lock = threading.Lock()
    state = {"issued": 0, "errors": 0, "error_sample": ""}
    latencies = []
    deadline = time.monotonic() + max_seconds

    def worker():
        while True:
            with lock:
                if state["issued"] >= max_requests or time.monotonic() >= deadline:
                    return
                state["issued"] += 1
            started = time.perf_counter()
            try:
                status, body = send(port, request)
                failure = None if status == item.expected_status else f"{status} {body[:200]!r}"
            except OSError as exc:
                failure = f"connection error: {exc}"
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if failure:
                    state["errors"] += 1
                    state["error_sample"] = state["error_sample"] or failure

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall_seconds = time.perf_counter() - started

    latencies.sort()
    return {
        "name": item.name,
        "requests": len(latencies),
        "errors": state["errors"],
        "error_sample": state["error_sample"],
        "per_second": len(latencies) / wall_seconds if wall_seconds else None,
        "p50_ms": percentile(latencies, 0.50) * 1000 if latencies else None,
        "p99_ms": percentile(latencies, 0.99) * 1000 if latencies else None,
    }


def prepare(items):
    """Seed the accounts of ``items``; return (item, request) pairs to replay."""
    accounts = scenarios.Accounts()
    prepared = []
    for item in items:
        requests = item.function(accounts)
        prepared.append((item, next(requests)))
        requests.close()
    return prepared


def main(args, create_database, drop_database):
    """Run the load test; return the report as a dict."""
    from django.db import connection

    if importlib.util.find_spec("gunicorn") is None:
        raise SystemExit('The load test needs gunicorn: pip install -e ".[bench]" (make does it).')
    items = [item for item in scenarios.selected(args.only) if item.repeatable]
    if not items:
        raise SystemExit(
            "None of the chosen endpoints can be replayed under load. Repeatable ones: "
            + ", ".join(item.name for item in scenarios.SCENARIOS.values() if item.repeatable)
        )
    old_name = create_database()
    try:
        prepared = prepare(items)
        build = buildinfo.describe_build()
        # The server's workers open their own connections; this one must not hold a lock.
        connection.close()
        port = free_port()
        process = start_server(port, args.workers)
        try:
            wait_until_ready(port, process)
            results = []
            for item, request in prepared:
                print(f"  {item.name}", file=sys.stderr)
                # One request first, so the measured ones find warm workers and, for token
                # login, a token row that already exists.
                send(port, request)
                results.append(
                    hammer(
                        port, item, request, args.concurrency, args.load_requests, args.load_seconds
                    )
                )
        finally:
            stop_server(process)
    finally:
        drop_database(old_name)
    return {
        "build": build,
        "load": {
            "workers": args.workers,
            "concurrency": args.concurrency,
            "max_requests": args.load_requests,
            "max_seconds": args.load_seconds,
        },
        "results": results,
    }
