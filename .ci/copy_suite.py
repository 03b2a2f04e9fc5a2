"""Copy the source tree, without the djoser package, into the current directory.

``tox -e wheel`` runs the suite from this copy, so that ``import djoser`` finds the installed
wheel and not the source package, while the tests still find the files beside the package
that they read (the demo project, the benchmarks).
"""

import shutil
import sys
from pathlib import Path

# The package, which would shadow the installed wheel, and directories the suite does not
# read; left out at the top of the tree only.
TOP_LEVEL_LEFT_OUT = {"djoser", ".git", ".tox", ".venv", "build", "dist"}
# Left out at any depth: build metadata (which would describe the source package instead of
# the wheel), bytecode and the demo's database.
IGNORED = shutil.ignore_patterns("*.egg-info", "__pycache__", "db.sqlite3")


def main(source_root):
    source_root = Path(source_root)
    names = [path.name for path in source_root.iterdir()]
    left_out = TOP_LEVEL_LEFT_OUT | IGNORED(str(source_root), names)
    for name in names:
        if name in left_out:
            continue
        path = source_root / name
        if path.is_dir():
            shutil.copytree(path, name, ignore=IGNORED, dirs_exist_ok=True)
        else:
            shutil.copy(path, name)


if __name__ == "__main__":
    main(sys.argv[1])
