#!/usr/bin/env python3
"""Time the responses that must not tell whether an account exists.

Run from the repository root with the project's virtualenv:

    python benchmarks/enumeration.py                   # SQLite, Django's default hasher
    python benchmarks/enumeration.py --db postgresql   # PostgreSQL from the PG* variables

Two ratios are printed, each the median time of one case over the median of the other:

- reset password for a known email address over an unknown one. The email is rendered and
  sent after the response, so the goal is a ratio within 1.1;
- token login for an unknown account over a wrong password for a known one. Both cost one
  password hash, so the ratio should be close to 1.

Each request goes through Django's WSGI handler, as a server calls it, and is timed until
its body has been read. Closing the response, which sends the emails, is not timed: a
server does it after the client has the whole response. The cases alternate, so a busy
moment of a shared machine falls on both alike. Throttle counters are cleared, untimed,
before each request.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

import django  # noqa: E402

import run  # noqa: E402

GOAL = 1.1


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="database; postgresql connects with the PG* variables (default: sqlite)",
    )
    parser.add_argument(
        "--hasher",
        choices=["default", "md5"],
        default="default",
        help="password hasher: Django's default, as deployed, or MD5 (default: default)",
    )
    parser.add_argument(
        "--reset-rounds",
        type=int,
        default=2000,
        help="reset password requests per case (default: 2000)",
    )
    parser.add_argument(
        "--login-rounds",
        type=int,
        default=30,
        help="login requests per case; each costs one hash of the chosen hasher (default: 30)",
    )
    args = parser.parse_args(argv)
    if args.reset_rounds < 1 or args.login_rounds < 1:
        parser.error("--reset-rounds and --login-rounds must be at least 1.")
    return args


def json_environ(path, body):
    """Return the WSGI environ of a JSON POST of ``body`` to ``path``."""
    from django.test import RequestFactory

    return RequestFactory().post(path, json.dumps(body), content_type="application/json").environ


def time_request(handler, path, body):
    """Send one request through ``handler``; return (seconds until its body is read, status)."""
    from django.core.cache import cache

    cache.clear()
    environ = json_environ(path, body)
    status = []

    def start_response(status_line, headers, exc_info=None):
        status.append(int(status_line.split()[0]))

    started = time.perf_counter()
    response = handler(environ, start_response)
    b"".join(response)
    elapsed = time.perf_counter() - started
    response.close()
    return elapsed, status[0]


def compare(handler, cases, rounds):
    """Time each case of ``cases`` (name -> (path, body, status)) ``rounds`` times, alternating.

    Return name -> list of seconds. A response other than the case's expected status stops
    the run.
    """
    times = {name: [] for name in cases}
    for _ in range(rounds):
        for name, (path, body, expected_status) in cases.items():
            elapsed, status = time_request(handler, path, body)
            if status != expected_status:
                raise SystemExit(f"{name}: the response status is {status}, expected {expected_status}.")
            times[name].append(elapsed)
    return times


def print_ratio(title, times, numerator, denominator):
    top = statistics.median(times[numerator])
    bottom = statistics.median(times[denominator])
    ratio = top / bottom
    print(f"{title}")
    for name in (numerator, denominator):
        values = times[name]
        print(
            f"  {name:<16} median {statistics.median(values) * 1000:8.3f} ms"
            f"  p90 {statistics.quantiles(values, n=10)[-1] * 1000:8.3f} ms  n={len(values)}"
        )
    print(f"  ratio {numerator} / {denominator}: {ratio:.3f}")
    return ratio


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="djoser-enumeration-") as workdir:
        run.configure_environment(args, workdir)
        django.setup()
        from django.core import mail
        from django.core.handlers.wsgi import WSGIHandler

        from djoser.conf import settings as djoser_settings
        from scenarios import PASSWORD, Accounts

        old_name = run.create_database()
        try:
            known = Accounts().create("known")
            login_field = djoser_settings.LOGIN_FIELD
            handler = WSGIHandler()
            reset = "/auth/users/reset_password/"
            login = "/auth/token/login/"

            reset_times = compare(
                handler,
                {
                    "known email": (reset, {"email": known.email}, 204),
                    "unknown email": (reset, {"email": "nobody@example.com"}, 204),
                },
                args.reset_rounds,
            )
            emails_sent = len(mail.outbox)
            login_times = compare(
                handler,
                {
                    "unknown account": (login, {login_field: "nobody", "password": PASSWORD}, 400),
                    "wrong password": (
                        login,
                        {login_field: getattr(known, login_field), "password": "wrong-" + PASSWORD},
                        400,
                    ),
                },
                args.login_rounds,
            )
        finally:
            run.drop_database(old_name)

    print(f"database: {args.db}, hasher: {args.hasher}")
    reset_ratio = print_ratio("reset password", reset_times, "known email", "unknown email")
    print(f"  emails sent: {emails_sent}")
    verdict = "within" if reset_ratio <= GOAL else "over"
    print(f"  {verdict} the goal of {GOAL}")
    print_ratio("token login", login_times, "unknown account", "wrong password")
    return 0


if __name__ == "__main__":
    sys.exit(main())
