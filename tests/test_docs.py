"""The Sphinx documentation: it builds without warnings and covers the public surface."""

import importlib
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver

import djoser
from djoser.conf import DEFAULTS
from djoser.constants import Messages

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# Characters that reStructuredText accepts for section underlines.
UNDERLINE_RE = re.compile(r"^([=\-~^\"'`#*+.:_])\1*$")

# The URL modules whose named routes the endpoint pages must document.
URL_MODULES = (
    "djoser.urls",
    "djoser.urls.authtoken",
    "djoser.urls.jwt",
    "djoser.social.urls",
    "djoser.authtoken.urls",
)


def sections(path):
    """Return ``(title, body)`` for each section of the reStructuredText file ``path``.

    A body is the text between its title and the next title, however deeply nested.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [
        index
        for index, (line, underline) in enumerate(zip(lines, lines[1:]))
        if line.strip() and UNDERLINE_RE.match(underline) and len(underline) >= len(line.strip())
    ]
    result = []
    for start, end in zip(starts, starts[1:] + [len(lines)]):
        result.append((lines[start].strip(), "\n".join(lines[start + 2 : end])))
    return result


def section_titles(path):
    """Return the section titles of the reStructuredText file ``path``, in order."""
    return [title for title, _body in sections(path)]


def url_names(patterns):
    """Yield the name of every named route in ``patterns``, descending into includes."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name


def test_docs_build(tmp_path):
    pytest.importorskip("sphinx")
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-q",
        "-b",
        "html",
        "-d",
        str(tmp_path / "doctrees"),
        str(DOCS),
        str(tmp_path / "html"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "html" / "index.html").exists()


def test_settings_each_documented():
    settings_page = DOCS / "settings.rst"
    text = settings_page.read_text(encoding="utf-8")
    bodies = dict(sections(settings_page))
    for key in DEFAULTS:
        assert key in bodies, f"docs/settings.rst has no section titled {key}"
        assert f".. _setting-{key}:" in text, f"docs/settings.rst has no label setting-{key}"
        assert "**Default:**" in bodies[key], f"docs/settings.rst gives no default for {key}"


def test_settings_no_stale_sections():
    documented = {
        title
        for title in section_titles(DOCS / "settings.rst")
        if re.fullmatch(r"[A-Z][A-Z0-9_]+", title)
    }
    assert documented - set(DEFAULTS) == set()


def test_messages_each_documented():
    text = (DOCS / "customisation.rst").read_text(encoding="utf-8")
    names = [name for name in vars(Messages) if name.isupper()]
    assert names
    for name in names:
        assert f"``{name}``" in text, f"docs/customisation.rst does not list Messages.{name}"


def test_url_names_each_documented():
    text = "\n".join(
        page.read_text(encoding="utf-8") for page in sorted((DOCS / "endpoints").glob("*.rst"))
    )
    for module_name in URL_MODULES:
        module = importlib.import_module(module_name)
        for name in url_names(module.urlpatterns):
            assert f"``{name}``" in text, f"no page in docs/endpoints names the URL {name!r}"


def test_changelog_sections():
    titles = section_titles(ROOT / "CHANGELOG.rst")
    assert "Backwards incompatible changes" in titles
    assert "Security" in titles


def test_docs_version_from_package():
    conf = runpy.run_path(str(DOCS / "conf.py"))
    assert conf["release"] == djoser.__version__
