#!/usr/bin/env python3
"""Benchmark every djoser endpoint of the demo project and print one row per endpoint.

Run from the repository root with the project's virtualenv (``make bench`` does it):

    python benchmarks/run.py                     # in-process, MD5 hasher, SQLite
    python benchmarks/run.py --hasher default    # Django's default hasher, with hash ratios
    python benchmarks/run.py --db postgresql     # PostgreSQL from the PG* variables
    python benchmarks/run.py --load              # gunicorn on 127.0.0.1 and a load generator
    python benchmarks/run.py --compare HEAD~3    # this tree against a git revision

Each run creates its own database (a temporary SQLite file, or the PostgreSQL database
``djoser_bench``) and drops it at the end. docs/benchmarks.rst explains the columns.
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent

# The repository root is left off sys.path on purpose: djoser must come from the installed
# build, which in a comparison is the other revision's.
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

import django  # noqa: E402

import buildinfo  # noqa: E402
import compare  # noqa: E402
import report  # noqa: E402

DEFAULT_PG_NAME = "djoser_bench"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Benchmark djoser's endpoints in the demo project.",
        epilog="Timings on a shared machine are noisy: compare builds in one run (--compare).",
    )
    parser.add_argument(
        "--hasher",
        choices=["md5", "default"],
        default="md5",
        help="password hasher: md5 makes the framework's share visible; default is Django's "
        "own (default: md5)",
    )
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgresql"],
        default=os.environ.get("DJOSER_DB", "sqlite"),
        help="database; postgresql connects with the PG* variables (default: $DJOSER_DB or sqlite)",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=200,
        help="timed requests per endpoint, at most (default: 200)",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=3.0,
        help="time budget per endpoint in seconds of request time; at least 3 requests run "
        "(default: 3)",
    )
    parser.add_argument("--only", help="comma-separated endpoint names, as the table shows them")
    parser.add_argument("--list", action="store_true", help="list the endpoint names and exit")
    parser.add_argument("--json", metavar="PATH", help="also write the results to PATH as JSON")
    parser.add_argument(
        "--sql", action="store_true", help="print the SQL of the last request of each endpoint"
    )
    parser.add_argument(
        "--compare",
        metavar="REV",
        help="run the in-process benchmark on this tree and on git revision REV, installed "
        "into a temporary virtualenv, and print both with ratios",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="with --compare: runs of each build, alternating; medians are compared (default: 2)",
    )
    parser.add_argument(
        "--load", action="store_true", help="load-test a gunicorn server on 127.0.0.1 instead"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="with --load: gunicorn worker processes (default: 2)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=4, help="with --load: client threads (default: 4)"
    )
    parser.add_argument(
        "--load-requests",
        type=int,
        default=2000,
        help="with --load: requests per endpoint, at most (default: 2000)",
    )
    parser.add_argument(
        "--load-seconds",
        type=float,
        default=10.0,
        help="with --load: seconds per endpoint, at most (default: 10)",
    )
    args = parser.parse_args(argv)
    for name in ("requests", "rounds", "workers", "concurrency", "load_requests"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1.")
    args.only = [name.strip() for name in args.only.split(",")] if args.only else None
    return args


def configure_environment(args, workdir):
    """Set the variables bench_settings reads; return the database name."""
    os.environ["DJOSER_DB"] = args.db
    os.environ["DJOSER_BENCH_HASHER"] = args.hasher
    if args.db == "sqlite":
        db_name = str(Path(workdir) / "bench.sqlite3")
    else:
        db_name = os.environ.get("DJOSER_BENCH_PG_NAME", DEFAULT_PG_NAME)
    os.environ["DJOSER_BENCH_DB_NAME"] = db_name
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    return db_name


def create_database():
    """Create and migrate the benchmark database; return the name to drop it by.

    An existing PostgreSQL database of that name is left alone: the run stops instead,
    since it may hold someone's data.
    """
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [old_name])
            if cursor.fetchone():
                raise SystemExit(
                    f"The PostgreSQL database {old_name!r} exists already. Drop it, or set "
                    "DJOSER_BENCH_PG_NAME to the name of a database the benchmark may create."
                )
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return old_name


def drop_database(old_name):
    from django.db import connection

    connection.creation.destroy_test_db(old_name, verbosity=0)


def print_progress(name):
    print(f"  {name}", file=sys.stderr)


def run_in_process(args):
    """Run the in-process benchmark; return the report as a dict."""
    import inprocess
    import scenarios

    items = scenarios.selected(args.only)
    old_name = create_database()
    try:
        results = inprocess.run(items, args.requests, args.seconds, progress=print_progress)
        build = buildinfo.describe_build()
    finally:
        drop_database(old_name)
    return {"build": build, "results": [result.as_dict() for result in results]}


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.compare:
        return compare.main(args, Path(__file__).resolve(), buildinfo.git_revision())

    with tempfile.TemporaryDirectory(prefix="djoser-bench-") as workdir:
        configure_environment(args, workdir)
        django.setup()
        # These modules import djoser and the models, so Django must be set up first.
        import load
        import scenarios

        if args.list:
            print("\n".join(scenarios.SCENARIOS))
            return 0
        if args.load:
            data = load.main(args, create_database, drop_database)
            data["build"]["revision"] = buildinfo.git_revision()
            report.print_load(data)
        else:
            data = run_in_process(args)
            data["build"]["revision"] = buildinfo.git_revision()
            report.print_in_process(data)
            if args.sql:
                report.print_statements(data)

    if args.json:
        Path(args.json).write_text(json.dumps(data, indent=2), encoding="utf-8")
    errors = sum(result["errors"] for result in data["results"])
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
