"""Describe what a benchmark ran on: package versions, database, hasher and machine."""

import os
import platform
import subprocess
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent


def cpu_model():
    """Return the processor's model name as the kernel reports it."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe_database(connection):
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    if connection.vendor == "postgresql":
        return f"PostgreSQL {connection.pg_version // 10000}"
    return connection.vendor


def describe_hasher(hasher):
    iterations = getattr(hasher, "iterations", None)
    return hasher.algorithm + (f" ({iterations:,} iterations)" if iterations else "")


def describe_build():
    """Return the versions, database, password hasher and machine of this process."""
    import django
    import rest_framework
    from django.contrib.auth.hashers import get_hasher
    from django.db import connection

    import djoser

    connection.ensure_connection()
    return {
        "djoser": djoser.__version__,
        "djoser_path": str(Path(djoser.__file__).resolve().parent),
        "django": django.get_version(),
        "drf": rest_framework.VERSION,
        "python": platform.python_version(),
        "database": describe_database(connection),
        "hasher": describe_hasher(get_hasher()),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
    }


def git_revision():
    """Return the working tree's commit, marked "+changes" when tracked files differ from it."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO_DIR), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(REPO_DIR), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+changes" if changed else "")
