"""Translations: every message and email text is in each shipped catalogue, and is used.

The message IDs are extracted from djoser's sources the way ``makemessages`` extracts them:
gettext calls in Python modules and ``{% translate %}`` / ``{% blocktranslate %}`` in
templates. A string added without running ``makemessages`` and ``compilemessages`` in
``djoser/`` fails here, naming the catalogue and the string.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation.template import templatize

import djoser
from djoser.conf import settings as djoser_settings
from djoser.constants import Messages
from tests.conftest import link_parts
from tests.factories import PASSWORD, email_field, registration_data

PACKAGE_DIR = Path(djoser.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
CATALOGUES = sorted(path.name for path in LOCALE_DIR.iterdir() if (path / "LC_MESSAGES").is_dir())

# Languages that must ship, by locale directory name.
REQUIRED_LANGUAGES = {
    "ar", "de", "es", "fa", "fr", "hi", "id", "it", "ja", "ko", "nl", "pl", "pt_BR", "ru",
    "tr", "uk", "zh_Hans",
}  # fmt: skip
MINIMUM_LANGUAGES = 25
REVIEW_STATUSES = {"reviewed", "machine-generated, not reviewed"}

# The gettext functions whose string arguments makemessages extracts.
GETTEXT_FUNCTIONS = {
    "_": ("msgid",),
    "gettext": ("msgid",),
    "gettext_lazy": ("msgid",),
    "gettext_noop": ("msgid",),
    "pgettext": ("msgctxt", "msgid"),
    "pgettext_lazy": ("msgctxt", "msgid"),
    "ngettext": ("msgid", "msgid_plural"),
    "ngettext_lazy": ("msgid", "msgid_plural"),
    "npgettext": ("msgctxt", "msgid", "msgid_plural"),
    "npgettext_lazy": ("msgctxt", "msgid", "msgid_plural"),
}
TEMPLATIZED_CALL = re.compile(r"\b(n?p?gettext)\(")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def parse_po(path):
    """Return ``(header, entries)`` of a .po file written by ``makemessages``.

    ``header`` maps header field names to values. Each entry is a dict with ``msgctxt``
    (or None), ``msgid``, ``msgstr`` (a list, one item per plural form) and ``flags``.
    Entries are separated by blank lines; obsolete (``#~``) entries are left out.
    """
    header = {}
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = {"msgctxt": None, "msgid": None, "msgstr": [], "flags": set()}
        field = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"'):
                # A continuation line of the field above.
                if field == "msgstr":
                    entry["msgstr"][-1] += ast.literal_eval(line)
                else:
                    entry[field] += ast.literal_eval(line)
            else:
                keyword, _, value = line.partition(" ")
                field = "msgstr" if keyword.startswith("msgstr") else keyword
                if field == "msgstr":
                    entry["msgstr"].append(ast.literal_eval(value))
                else:
                    entry[field] = ast.literal_eval(value)
        if entry["msgid"] is None:
            continue
        if entry["msgid"] == "" and entry["msgctxt"] is None:
            for header_line in entry["msgstr"][0].splitlines():
                name, _, value = header_line.partition(":")
                header[name.strip()] = value.strip()
        else:
            entries.append(entry)
    return header, entries


def gettext_calls(source):
    """Yield ``(msgctxt, msgid)`` for each gettext call with literal arguments in ``source``."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)
        roles = GETTEXT_FUNCTIONS.get(name)
        if roles is None:
            continue
        values = {}
        for role, argument in zip(roles, node.args):
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                values[role] = argument.value
        if "msgid" in values:
            yield values.get("msgctxt"), values["msgid"]


def template_calls(source):
    """Yield ``(msgctxt, msgid)`` for each translatable string in a template's ``source``."""
    python = templatize(source)
    for match in TEMPLATIZED_CALL.finditer(python):
        # Try each closing parenthesis until the call parses as an expression.
        end = match.end()
        while (end := python.find(")", end)) != -1:
            end += 1
            try:
                call = python[match.start() : end]
                ast.parse(call, mode="eval")
            except SyntaxError:
                continue
            yield from gettext_calls(call)
            break


def source_messages():
    """Return every ``(msgctxt, msgid)`` that djoser's Python modules and templates mark."""
    messages = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        messages.update(gettext_calls(path.read_text(encoding="utf-8")))
    for path in (PACKAGE_DIR / "templates").rglob("*.html"):
        messages.update(template_calls(path.read_text(encoding="utf-8")))
    return messages


def catalogue_path(language, extension="po"):
    return LOCALE_DIR / language / "LC_MESSAGES" / f"django.{extension}"


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def test_source_messages_found():
    # The extraction itself works: it finds messages from constants.py and from templates.
    messages = {msgid for _context, msgid in source_messages()}

    assert "Unable to log in with provided credentials." in messages
    assert "Activate your account on %(site_name)s" in messages
    assert "The %(site_name)s team" in messages


def test_required_languages_shipped():
    assert REQUIRED_LANGUAGES - set(CATALOGUES) == set()
    assert len(CATALOGUES) >= MINIMUM_LANGUAGES


@pytest.mark.parametrize("language", CATALOGUES)
def test_catalogue_has_every_message(language):
    _header, entries = parse_po(catalogue_path(language))
    translated = {
        (entry["msgctxt"], entry["msgid"])
        for entry in entries
        if all(entry["msgstr"]) and "fuzzy" not in entry["flags"]
    }

    missing = sorted(source_messages() - translated, key=str)

    assert missing == [], f"run makemessages in djoser/ and translate these for {language}"


@pytest.mark.parametrize("language", CATALOGUES)
def test_catalogue_keeps_placeholders(language):
    _header, entries = parse_po(catalogue_path(language))

    for entry in entries:
        for msgstr in entry["msgstr"]:
            assert placeholders(msgstr) == placeholders(entry["msgid"]), entry["msgid"]


@pytest.mark.parametrize("language", CATALOGUES)
def test_compiled_catalogue_up_to_date(language):
    _header, entries = parse_po(catalogue_path(language))
    with catalogue_path(language, "mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)

    stale = [
        entry["msgid"]
        for entry in entries
        if entry["msgctxt"] is None
        and "fuzzy" not in entry["flags"]
        and catalogue.gettext(entry["msgid"]) != entry["msgstr"][0]
    ]

    assert stale == [], f"run compilemessages in djoser/ for {language}"


@pytest.mark.parametrize("language", CATALOGUES)
def test_catalogue_header(language):
    header, _entries = parse_po(catalogue_path(language))

    assert header["Language"] == language
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    # An unreviewed translation is marked as such, for translators and for users who report
    # an odd wording.
    assert header["X-Translation-Status"] in REVIEW_STATUSES


MESSAGE_NAMES = sorted(
    name for name, value in vars(Messages).items() if not name.startswith("_") and not callable(value)
)


@pytest.mark.parametrize("language", CATALOGUES)
def test_messages_translated_at_run_time(language):
    with translation.override(None):
        english = {name: str(getattr(Messages, name)) for name in MESSAGE_NAMES}

    with translation.override(translation.to_language(language)):
        untranslated = [
            name for name in MESSAGE_NAMES if str(getattr(Messages, name)) == english[name]
        ]

    assert untranslated == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", CATALOGUES)
def test_login_error_follows_accept_language(api_client, user, language):
    login_field = djoser_settings.LOGIN_FIELD
    body = {login_field: getattr(user, login_field), "password": "wrong password"}
    language_code = translation.to_language(language)
    # DRF ships this message too, and Django prefers the catalogue of the app listed first
    # in INSTALLED_APPS, so the expected text is whichever translation Django resolves.
    with translation.override(language_code):
        expected = str(Messages.INVALID_CREDENTIALS_ERROR)

    response = api_client.post(
        "/auth/token/login/", body, format="json", HTTP_ACCEPT_LANGUAGE=language_code
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [expected]}
    assert expected != "Unable to log in with provided credentials."


@pytest.mark.django_db
def test_errors_in_german(auth_client):
    response = auth_client.post(
        "/auth/users/set_password/",
        {"current_password": "wrong password"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.status_code == 400
    assert response.json() == {
        "current_password": ["Ungültiges Passwort."],
        # DRF's own message, from DRF's German catalogue.
        "new_password": ["Dieses Feld ist zwingend erforderlich."],
    }


@pytest.mark.django_db
def test_errors_in_english_without_header(auth_client):
    response = auth_client.post(
        "/auth/users/set_password/", {"current_password": "wrong password"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "current_password": ["Invalid password."],
        "new_password": ["This field is required."],
    }


GERMAN_ACTIVATION_LINES = [
    "Sie erhalten diese E-Mail, weil bei Example ein Konto erstellt oder dessen "
    "E-Mail-Adresse geändert wurde.",
    "Öffnen Sie den folgenden Link, um das Konto zu aktivieren:",
    "Wenn Sie dies nicht angefordert haben, können Sie diese E-Mail ignorieren.",
    "Ihr Example-Team",
]


@pytest.mark.django_db
def test_activation_email_in_german(api_client, djoser_settings):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)

    response = api_client.post(
        "/auth/users/", registration_data(), format="json", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9"
    )

    assert response.status_code == 201
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Aktivieren Sie Ihr Konto bei Example"
    html_body = message.alternatives[0][0] if message.alternatives else ""
    for line in GERMAN_ACTIVATION_LINES:
        assert line in message.body
        assert line in html_body
    assert "Open the link" not in message.body

    # The link works, and the errors of a second use come in German too.
    uid, token = link_parts(message)
    activation = {"uid": uid, "token": token}
    response = api_client.post("/auth/users/activation/", activation, format="json")
    assert response.status_code == 204
    response = api_client.post(
        "/auth/users/activation/", activation, format="json", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Veraltetes Token für diesen Benutzer."}


@pytest.mark.django_db
def test_activation_email_in_english_by_default(api_client, djoser_settings):
    djoser_settings(SEND_ACTIVATION_EMAIL=True)

    response = api_client.post("/auth/users/", registration_data(), format="json")

    assert response.status_code == 201
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Activate your account on Example"
    assert "Open the link below to activate the account:" in mail.outbox[0].body


@pytest.mark.django_db
def test_password_reset_email_in_japanese(api_client, user):
    response = api_client.post(
        "/auth/users/reset_password/",
        {"email": getattr(user, email_field())},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )

    assert response.status_code == 204
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Example のパスワードをリセットしてください"
    assert "新しいパスワードを設定するには、以下のリンクを開いてください:" in mail.outbox[0].body
    # The reset still works with the new password afterwards.
    uid, token = link_parts(mail.outbox[0])
    response = api_client.post(
        "/auth/users/reset_password_confirm/",
        {"uid": uid, "token": token, "new_password": PASSWORD + "-new"},
        format="json",
    )
    assert response.status_code == 204
