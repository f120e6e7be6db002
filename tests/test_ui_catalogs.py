"""The library's own interface catalogs under locales/ (issue 5, item 5).

The template is regenerated from the code and compared byte for byte; every
language's catalog must translate every message of it, with nothing fuzzy,
and pass ``msgfmt --check`` (which compares the ``%(name)s`` placeholders of
``python-format`` messages). Adding an interface language is adding one
``.po`` file: French and Portuguese prove it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from statementpub import load_statement, make_edition, render_html
from statementpub.catalogs import read_catalog
from statementpub.i18n import available_languages, extract_ui, interface
from statementpub.resources import locales_dir

LOCALES = locales_dir()
TEMPLATE = LOCALES / "statementpub.pot"
CATALOGS = sorted(LOCALES.glob("*/LC_MESSAGES/statementpub.po"))


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def test_template_is_not_stale() -> None:
    assert extract_ui() == TEMPLATE.read_bytes(), (
        "locales/statementpub.pot is stale: run python -m statementpub.extract_ui")


def test_french_and_portuguese_are_available() -> None:
    assert {"en", "es", "fr", "pt"} <= set(available_languages())


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_catalog_is_complete(path: Path) -> None:
    template = read_catalog(TEMPLATE)
    catalog = read_catalog(path)
    entries = {_key(e): e for e in catalog if not e.obsolete}
    missing = [e.msgid for e in template if _key(e) not in entries]
    assert not missing, f"{path}: untranslated {missing}"
    for wanted in template:
        entry = entries[_key(wanted)]
        assert "fuzzy" not in entry.flags, f"{path}: fuzzy {entry.msgid!r}"
        if wanted.msgid_plural:
            nplurals = int(catalog.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
            assert sorted(entry.msgstr_plural) == list(range(nplurals))
            assert all(entry.msgstr_plural.values()), f"{path}: {entry.msgid!r}"
        else:
            assert entry.msgstr, f"{path}: empty {entry.msgid!r}"
    assert catalog.metadata["Language"] == path.parent.parent.name


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("path", [TEMPLATE, *CATALOGS], ids=lambda p: p.parent.parent.name
                         if p.suffix == ".po" else "template")
def test_msgfmt_check_accepts(path: Path) -> None:
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("lang,signatories,contents", [
    ("fr", "Signataires", "Table des matières"),
    ("pt", "Signatários", "Índice"),
    ("es", "Firmantes", "Índice"),
])
def test_interface_strings_are_translated(lang: str, signatories: str, contents: str) -> None:
    ui = interface(lang)
    assert ui.gettext("Signatories").value == signatories
    assert ui.gettext("Signatories").lang == lang
    assert ui.gettext("Contents").value == contents
    assert ui.ngettext("%(n)d signatory", "%(n)d signatories", 2).lang == lang


def test_french_edition_has_a_french_interface(tmp_path: Path) -> None:
    source = tmp_path / "eau" / "statement.md"
    source.parent.mkdir()
    source.write_text(
        "---\ntitle: Water is a right\ndate: 2024-03-01\nkind: open-letter\n"
        "signatories:\n  - Friends of the River\n  - name: Agua Viva\n    lang: es\n---\n\n"
        "## Our demands\n\nWe ask the council to act now.\n", encoding="utf-8")
    catalog = polib.POFile()
    catalog.metadata = {"Language": "fr", "Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr in (("Water is a right", "L’eau est un droit"),
                          ("Our demands", "Nos revendications"),
                          ("We ask the council to act now.",
                           "Nous demandons au conseil d’agir maintenant.")):
        catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    statement = load_statement(source)
    edition = make_edition(statement, "fr", catalog)
    assert edition.fallbacks == ()
    html = render_html(edition)
    assert '<html lang="fr"' in html
    assert '<p class="kind">Lettre ouverte</p>' in html
    assert "Signataires" in html and "2 signataires" in html
    assert "1 mars 2024" in html
    assert "<h1>L’eau est un droit</h1>" in html
    # the interface strings are all French: nothing is marked as English
    assert 'lang="en" dir="ltr">Friends of the River' in html  # a name, in the source language
    html_without_names = html.replace('lang="en" dir="ltr">Friends of the River', "")
    assert 'lang="en"' not in html_without_names
