#!/usr/bin/env python3
"""Run the test suite once per user model, each in a pytest process of its own.

``AUTH_USER_MODEL`` cannot change inside one process, so every model in
``tests/user_models.py`` gets its own run, followed by a run of the tests marked
``jwt_blacklist`` with SimpleJWT's blacklist app installed. Arguments are passed on to
pytest; set ``DJOSER_TEST_USER_MODEL`` to run one model only and ``DJOSER_DB=postgresql``
for PostgreSQL.
"""

import os
import subprocess
import sys

from tests.user_models import USER_MODELS


# pytest's exit code when it collected no tests.
NO_TESTS_COLLECTED = 5


def selects_tests(pytest_args):
    """Return True when ``pytest_args`` pick tests: ``-k``, ``-m``, or test paths."""
    for arg in pytest_args:
        if arg in ("-k", "-m") or arg.startswith(("-k", "-m")):
            return True
        if arg.endswith(".py") or "::" in arg or arg.startswith("tests"):
            return True
    return False


def main(pytest_args):
    chosen = os.environ.get("DJOSER_TEST_USER_MODEL")
    models = [chosen] if chosen else list(USER_MODELS)
    failed = []
    for model in models:
        print(f"== user model: {model} (database: {os.environ.get('DJOSER_DB', 'sqlite')})", flush=True)
        env = {**os.environ, "DJOSER_TEST_USER_MODEL": model}
        result = subprocess.run([sys.executable, "-m", "pytest", *pytest_args], env=env)
        if result.returncode != 0:
            failed.append(model)

        # SimpleJWT looks for its blacklist app once, at import, so the tests that need the
        # app run in a process of their own.
        print(f"== user model: {model}, with SimpleJWT's blacklist app", flush=True)
        result = subprocess.run(
            [sys.executable, "-m", "pytest", *pytest_args, "-m", "jwt_blacklist"],
            env={**env, "DJOSER_TEST_JWT_BLACKLIST": "1"},
        )
        if result.returncode == NO_TESTS_COLLECTED and selects_tests(pytest_args):
            print("== the arguments selected none of the jwt_blacklist tests", flush=True)
        elif result.returncode != 0:
            # Exit code 5 without a selection means the blacklist tests went missing.
            failed.append(f"{model} (blacklist)")
    if failed:
        print(f"== failed user models: {', '.join(failed)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
