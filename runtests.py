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
        # app run in a process of their own. Exit code 5 means the arguments selected none.
        print(f"== user model: {model}, with SimpleJWT's blacklist app", flush=True)
        result = subprocess.run(
            [sys.executable, "-m", "pytest", *pytest_args, "-m", "jwt_blacklist"],
            env={**env, "DJOSER_TEST_JWT_BLACKLIST": "1"},
        )
        if result.returncode not in (0, 5):
            failed.append(f"{model} (blacklist)")
    if failed:
        print(f"== failed user models: {', '.join(failed)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
