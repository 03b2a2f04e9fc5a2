"""Copy the test suite and the demo project into the current directory.

``tox -e wheel`` runs the suite from this copy, outside the source tree, so that
``import djoser`` finds the installed wheel and not the source package.
"""

import shutil
import sys
from pathlib import Path

SUITE_DIRS = ("tests", "testproject")
SUITE_FILES = ("runtests.py", "pyproject.toml")


def main(source_root):
    source_root = Path(source_root)
    ignore = shutil.ignore_patterns("__pycache__", "db.sqlite3")
    for name in SUITE_DIRS:
        shutil.copytree(source_root / name, name, ignore=ignore, dirs_exist_ok=True)
    for name in SUITE_FILES:
        shutil.copy(source_root / name, name)


if __name__ == "__main__":
    main(sys.argv[1])
