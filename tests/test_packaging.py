"""Packaging: one version source, and a wheel that ships every module and data file.

The wheel checks run in ``tox -e wheel``, which installs the built wheel and runs the suite
from a copy outside the source tree with ``DJOSER_TEST_INSTALLED_WHEEL=1`` and
``DJOSER_TEST_SOURCE_DIR`` set to the source tree.
"""

import os
from importlib import metadata
from pathlib import Path

import pytest

import djoser

INSTALLED_WHEEL = os.environ.get("DJOSER_TEST_INSTALLED_WHEEL") == "1"
SOURCE_DIR = os.environ.get("DJOSER_TEST_SOURCE_DIR")
PACKAGE_DIR = Path(djoser.__file__).resolve().parent

# Files the package needs at run time, by suffix: code, email templates, catalogues.
PACKAGE_FILE_SUFFIXES = (".py", ".html", ".po", ".mo")

wheel_only = pytest.mark.skipif(
    not INSTALLED_WHEEL, reason="runs in tox -e wheel, against the installed wheel"
)


def package_files(package_dir):
    """Return the run-time files under ``package_dir``, relative to it."""
    return sorted(
        str(path.relative_to(package_dir))
        for path in package_dir.rglob("*")
        if path.suffix in PACKAGE_FILE_SUFFIXES and "__pycache__" not in path.parts
    )


def test_version_matches_metadata():
    assert metadata.version("djoser") == djoser.__version__


@wheel_only
def test_djoser_imported_from_wheel():
    assert "site-packages" in PACKAGE_DIR.parts
    if SOURCE_DIR:
        assert PACKAGE_DIR != (Path(SOURCE_DIR) / "djoser").resolve()


@wheel_only
def test_wheel_ships_compiled_catalogues():
    catalogues = sorted(PACKAGE_DIR.glob("locale/*/LC_MESSAGES/django.po"))
    compiled = sorted(PACKAGE_DIR.glob("locale/*/LC_MESSAGES/django.mo"))

    assert len(compiled) >= 25
    assert [path.with_suffix(".mo") for path in catalogues] == compiled


@wheel_only
@pytest.mark.skipif(not SOURCE_DIR, reason="DJOSER_TEST_SOURCE_DIR is not set")
def test_wheel_ships_every_package_file():
    source_files = package_files(Path(SOURCE_DIR) / "djoser")

    missing = sorted(set(source_files) - set(package_files(PACKAGE_DIR)))

    assert missing == []
