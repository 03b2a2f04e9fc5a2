"""Sphinx configuration for djoser's documentation.

The version is read from ``djoser/__init__.py`` as text, so building the docs needs neither
Django settings nor an importable djoser.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_version():
    text = (ROOT / "djoser" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise RuntimeError('djoser/__init__.py has no line of the form __version__ = "X.Y.Z".')
    return match.group(1)


project = "djoser"
author = "djoser contributors"
copyright = "djoser contributors"
release = read_version()
version = ".".join(release.split(".")[:2])

# No extension that fetches anything: the build must pass offline.
extensions = []

exclude_patterns = ["_build"]
root_doc = "index"
language = "en"
highlight_language = "python"
pygments_style = "sphinx"

html_theme = "alabaster"
html_title = f"djoser {release}"
html_static_path = []
