"""Issue 5: extract, update (against GNU msgmerge itself), status, and the build side.

The msgmerge comparisons run Debian's ``msgmerge --previous`` on the same
catalog and template as :func:`update_catalog` and compare entry by entry;
every case also checks ``msgfmt --check``. Statements are small texts written
here; the shared corpus is read in place.
"""

from __future__ import annotations

import ast
import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import polib
import pytest

import statementpub
from statementpub import load_statement, render_html, translate
from statementpub.cli import main
from statementpub.errors import CatalogError
from statementpub.translate import (
    LanguageStatus,
    catalog_bytes,
    catalog_status,
    extract,
    extract_catalog,
    merge,
    plural_forms,
    plurals,
    pofile,
    read_catalog_for_update,
    status,
    update_catalog,
)
from statementpub.translate.linebreak import (
    MANDATORY,
    POSSIBLE,
    PROHIBITED,
    possible_linebreaks,
    width_linebreaks,
)
from statementpub.translate.merge import FUZZY_THRESHOLD, fstrcmp

from .conftest import corpus_statement

needs_gettext = pytest.mark.skipif(
    shutil.which("msgmerge") is None or shutil.which("msgfmt") is None,
    reason="GNU gettext (msgmerge, msgfmt) is not installed")

HEAD = "---\ntitle: Water is a right\ndate: 2024-03-01\n---\n\n"


def write(folder: Path, text: str, name: str = "statement.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def msgfmt_check(path: Path) -> None:
    """``msgfmt --check`` accepts the file and says nothing: no header warning either."""
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def msgmerge(catalog: Path, template: Path) -> bytes:
    return subprocess.run(["msgmerge", "--previous", "--quiet", "-o", "-", str(catalog),
                           str(template)], capture_output=True, check=True).stdout


def entries(data: bytes, tmp_path: Path) -> list[tuple[Any, ...]]:
    """What the acceptance compares: msgctxt, msgid, msgstr, fuzzy, previous msgid,
    obsolete, translator comments, for every entry in file order."""
    path = tmp_path / "compare.po"
    path.write_bytes(data)
    po = read_catalog_for_update(path)
    return [(e.msgctxt, e.msgid, e.msgstr, "fuzzy" in e.flags, e.previous_msgid,
             bool(e.obsolete), e.tcomment) for e in po]


# ---------------------------------------------------------------------------
# extract


SMALL = HEAD.replace("---\n\n", """subtitle: A *joint* statement
summary: |
  Cities must keep water public.

  See the [full letter](https://example.org/letter.pdf).
links:
  - label: Read the full letter
    url: https://example.org/letter.pdf
publisher:
  name: Water Coalition
signatories:
  - name: Friends of the River
    note: on behalf of its 40 members
---

## Our demands {#demands}

We ask the council to act now.[^1]

- Keep water public
- Publish the contracts
  - every one of them

| City | Status |
|---|---|
| Lyon | Public |
| Paris | Public |

> Water is life.

Keep water public

![A river at dawn](river.png)

[^1]: Resolution 64/292 of the United Nations.
""")


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    source = write(tmp_path / "water-rights", SMALL)
    # a 1x1 PNG for the image (a valid one: every image is decoded before it is accepted)
    (source.parent / "river.png").write_bytes(
        (Path(__file__).parent / "fixtures" / "validate" / "pixel.png").read_bytes())
    return source


def test_extract_snapshot(small: Path, file_regression: Any) -> None:
    data = catalog_bytes(extract_catalog(load_statement(small)))
    file_regression.check(data.decode("utf-8"), extension=".pot")


def test_extract_units_roles_references(small: Path) -> None:
    pot = extract_catalog(load_statement(small))
    by_id = {entry.msgid: entry for entry in pot}
    assert list(by_id)[:4] == ["Water is a right", "A *joint* statement",
                               "Cities must keep water public.",
                               "See the [full letter](https://example.org/letter.pdf)."]
    # identical msgids share one entry, with every reference and each role once
    shared = by_id["Keep water public"]
    assert [line for _, line in shared.occurrences] == ["23", "34"]
    assert shared.comment == "List item\nParagraph"
    assert by_id["Public"].occurrences == [("statement.md", "29"), ("statement.md", "30")]
    assert by_id["Public"].comment == "Table cell"
    assert by_id["City"].comment == "Table header cell"
    assert by_id["Our demands"].comment == "Heading, level 2"
    assert by_id["A river at dawn"].comment == "Image alternative text"
    assert by_id["Water is life."].comment == "Blockquote paragraph"
    assert by_id["every one of them"].comment == "List item"
    assert by_id["on behalf of its 40 members"].comment == "Signatory note"
    assert by_id["Water Coalition"].comment == "Publisher name"
    assert by_id["Read the full letter"].comment == "Link label"
    link = by_id["See the [full letter](https://example.org/letter.pdf)."]
    assert link.comment == ("Summary paragraph\n"
                            "Keep the link target in parentheses unchanged.")
    note = by_id["We ask the council to act now.[^1]"]
    assert note.comment == "Paragraph\nKeep the footnote reference [^1]."
    assert all(path == "statement.md" for e in pot for path, _ in e.occurrences)
    # names, URLs, dates and units without letters are not extracted
    assert "Friends of the River" not in by_id
    assert pot.metadata["Project-Id-Version"] == "water-rights"
    assert pot.metadata["POT-Creation-Date"] == "2024-03-01 00:00+0000"
    assert pot.metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_extract_is_stable(small: Path) -> None:
    first = catalog_bytes(extract_catalog(load_statement(small)))
    second = catalog_bytes(extract_catalog(load_statement(small)))
    assert first == second


@needs_gettext
def test_extract_cli_writes_pot_beside_source_and_msgfmt_accepts(small: Path,
                                                                   tmp_path: Path) -> None:
    assert main(["extract", str(small)]) == 0
    pot = small.with_suffix(".pot")
    msgfmt_check(pot)
    assert pot.read_bytes() == catalog_bytes(extract_catalog(load_statement(small)))
    # msgcat (gettext's own writer) leaves the file as it is: same wrapping
    again = subprocess.run(["msgcat", str(pot)], capture_output=True, check=True).stdout
    assert again == pot.read_bytes()
    other = tmp_path / "elsewhere" / "t.pot"
    assert main(["extract", str(small), "-o", str(other)]) == 0
    assert other.read_bytes() == pot.read_bytes()


def test_extract_error_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path, "---\ntitle: x\n---\n\n# Level one\n")
    assert main(["extract", str(source)]) == 1
    assert "statement.md:" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# acceptance on the shared corpus


@pytest.mark.corpus
def test_corpus_extract_gives_the_msgids_of_the_spanish_catalog() -> None:
    source = corpus_statement()
    es = polib.pofile(str(source.with_name("statement.es.po")))
    pot = extract_catalog(load_statement(source))
    assert [e.msgid for e in pot] == [e.msgid for e in es if not e.obsolete]


@needs_gettext
def test_msgfmt_check_is_silent_on_every_catalog_the_tool_writes(tmp_path: Path) -> None:
    """Issue 16: templates, new catalogs, updated catalogs (one whose header lacks the
    translator's fields, one copied from the template by hand) and the interface
    template all pass ``msgfmt --check`` without a warning."""
    from statementpub.i18n import extract_ui

    source = write(tmp_path / "water", HEAD + "## What we ask\n\nKeep the river *public*.\n")
    assert main(["extract", str(source)]) == 0
    template = source.with_suffix(".pot")
    # a hand-made catalog with a bare header, as translators sometimes send
    bare = source.with_name("statement.es.po")
    bare.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "Water is a right"\nmsgstr "El agua es un derecho"\n',
                    encoding="utf-8")
    shutil.copy(template, source.with_name("statement.fr.po"))  # copied by hand
    assert main(["update", str(source), "--lang", "es", "--lang", "fr", "--lang", "pt-BR",
                 "--lang", "ar"]) == 0
    extract_ui(tmp_path / "statementpub.pot")
    written = [template, *sorted(source.parent.glob("*.po")), tmp_path / "statementpub.pot"]
    assert [p.name for p in written] == [
        "statement.pot", "statement.ar.po", "statement.es.po", "statement.fr.po",
        "statement.pt-BR.po", "statementpub.pot"]
    for path in written:
        msgfmt_check(path)
    headers = {p.name: polib.pofile(str(p)).metadata for p in written}
    assert headers["statement.pot"]["Language"] == "en"  # the msgids' language
    assert headers["statement.pot"]["POT-Creation-Date"] == "2024-03-01 00:00+0000"
    for name, lang in (("statement.ar.po", "ar"), ("statement.es.po", "es"),
                       ("statement.pt-BR.po", "pt_BR")):
        header = headers[name]
        assert header["Language"] == lang
        # msginit --no-translator's values; the date is the template's, not the clock's
        assert (header["PO-Revision-Date"], header["Last-Translator"],
                header["Language-Team"]) == ("2024-03-01 00:00+0000",
                                             "Automatically generated", "none")
        assert header["Plural-Forms"] == plural_forms(lang.replace("_", "-"))
    # the copy of the template is French now, its empty fields left to the editor
    assert headers["statement.fr.po"]["Language"] == "fr"
    assert headers["statement.fr.po"]["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    # the bare catalog keeps its translation
    assert polib.pofile(str(bare)).find("Water is a right").msgstr == "El agua es un derecho"


def test_update_keeps_the_translators_header_fields_and_regional_language(
        tmp_path: Path) -> None:
    source = write(tmp_path / "water", HEAD + "Keep the river public.\n")
    catalog = source.with_name("statement.es.po")
    catalog.write_text('msgid ""\nmsgstr ""\n"PO-Revision-Date: 2024-05-02 10:00+0200\\n"\n'
                       '"Last-Translator: Ana Pérez <ana@example.org>\\n"\n'
                       '"Language-Team: Spanish <es@example.org>\\n"\n'
                       '"Language: es_MX\\n"\n'
                       '"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    merged = update_catalog(load_statement(source), catalog, lang="es").metadata
    assert (merged["PO-Revision-Date"], merged["Last-Translator"], merged["Language-Team"],
            merged["Language"]) == ("2024-05-02 10:00+0200", "Ana Pérez <ana@example.org>",
                                    "Spanish <es@example.org>", "es_MX")


def test_a_translation_equal_to_its_source_is_a_translation(tmp_path: Path) -> None:
    """A name or a cell that reads the same in both languages ("Río Vivo", "No",
    "Total") is translated when its msgstr repeats the msgid: it counts as translated
    and the edition shows it in the edition's language, not marked as English."""
    source = write(tmp_path / "water", HEAD + "## Mercado Libre\n\nThe river is public.\n")
    catalog = source.with_name("statement.es.po")
    catalog.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                       '"Language: es\\n"\n\n'
                       'msgid "Water is a right"\nmsgstr "El agua es un derecho"\n\n'
                       'msgid "Mercado Libre"\nmsgstr "Mercado Libre"\n\n'
                       'msgid "The river is public."\nmsgstr "El río es público."\n',
                       encoding="utf-8")
    (es,) = catalog_status(load_statement(source), ["es"])
    assert (es.translated, es.untranslated, es.problems) == (3, 0, ())
    html = render_html(load_statement(source), lang="es")
    assert '<h2 id="mercado-libre">Mercado Libre</h2>' in html


@pytest.mark.corpus
@needs_gettext
def test_corpus_update_leaves_the_spanish_catalog_unchanged(tmp_path: Path) -> None:
    source = corpus_statement()
    folder = tmp_path / "safe-third-country"
    folder.mkdir()
    for path in source.parent.iterdir():
        shutil.copy(path, folder / path.name)
    before = entries(source.with_name("statement.es.po").read_bytes(), tmp_path)
    assert main(["update", str(folder / "statement.md"), "--lang", "es"]) == 0
    after_path = folder / "statement.es.po"
    after = entries(after_path.read_bytes(), tmp_path)
    assert [e[:6] for e in after] == [e[:6] for e in before]
    msgfmt_check(after_path)
    # and it is what msgmerge makes of the same catalog and template, plus the header
    # fields gettext expects that the hand-made catalog lacks (msgfmt --check warns
    # on each), with msginit's values for a catalog without a named translator
    assert main(["extract", str(folder / "statement.md")]) == 0
    added = (b'"PO-Revision-Date: 2018-09-20 00:00+0000\\n"\n'
             b'"Last-Translator: Automatically generated\\n"\n'
             b'"Language-Team: none\\n"\n')
    merged = msgmerge(source.with_name("statement.es.po"), folder / "statement.pot")
    creation = b'"POT-Creation-Date: 2018-09-20 00:00+0000\\n"\n'
    assert after_path.read_bytes() == merged.replace(creation, creation + added, 1)
    # a second update changes nothing
    mtime = after_path.stat().st_mtime_ns
    assert main(["update", str(folder / "statement.md"), "--lang", "es"]) == 0
    assert after_path.stat().st_mtime_ns == mtime


# ---------------------------------------------------------------------------
# update against msgmerge --previous


def _catalog(template: polib.POFile, translations: dict[str, str], *, lang: str = "es",
             fuzzy: tuple[str, ...] = (), comments: dict[str, str] | None = None,
             obsolete: dict[str, str] | None = None) -> polib.POFile:
    po = update_catalog(template, None, lang=lang)
    po.metadata["Last-Translator"] = "Ana Pérez <ana@example.org>"
    po.metadata["Language-Team"] = "Spanish <es@example.org>"
    po.metadata["X-Generator"] = "Poedit 3.4"
    for entry in po:
        entry.msgstr = translations.get(entry.msgid, "")
        if entry.msgid in fuzzy:
            entry.flags.append("fuzzy")
        if comments and entry.msgid in comments:
            entry.tcomment = comments[entry.msgid]
    for msgid, msgstr in (obsolete or {}).items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, obsolete=True))
    return po


CASES: dict[str, dict[str, Any]] = {
    "edited paragraph": dict(
        old="## Our demands\n\nWe ask the council to act now, before the summer.\n\n"
            "Water is a common good.\n",
        new="## Our demands\n\nWe ask the city council to act now, before the summer.\n\n"
            "Water is a common good.\n",
        translations={"Our demands": "Nuestras demandas",
                      "We ask the council to act now, before the summer.":
                          "Pedimos al concejo que actúe ya, antes del verano.",
                      "Water is a common good.": "El agua es un bien común."},
        expect_fuzzy={"We ask the city council to act now, before the summer."},
    ),
    "deleted list item": dict(
        old="- Keep water public\n- Publish every contract\n- Stop the cuts\n",
        new="- Keep water public\n- Stop the cuts\n",
        translations={"Keep water public": "Mantener pública el agua",
                      "Publish every contract": "Publicar todos los contratos",
                      "Stop the cuts": "Detener los cortes"},
        expect_obsolete={"Publish every contract"},
    ),
    "new unit similar to an old one": dict(
        old="Water is a common good of all people.\n",
        new="Water is a common good of all people.\n\nWater is a common good of all the people.\n",
        translations={"Water is a common good of all people.":
                          "El agua es un bien común de todas las personas."},
        expect_fuzzy={"Water is a common good of all the people."},
    ),
    "obsolete revived": dict(
        old="The council voted.\n",
        new="The council voted.\n\nPrivatisation failed everywhere it was tried.\n",
        translations={"The council voted.": "El concejo votó."},
        obsolete={"Privatisation failed everywhere it was tried.":
                      "La privatización fracasó dondequiera que se intentó.",
                  "An old sentence nobody uses.": "Una frase vieja."},
    ),
    "backslashes and quotes": dict(
        old='They said "no" to \\*all\\* cuts \\\\ and \'more\'.\n\n'
            'A path: `C:\\water\\"plan"`.\n',
        new='They said "no" to \\*all\\* the cuts \\\\ and \'more\'.\n\n'
            'A path: `C:\\water\\"plan"`.\n',
        translations={'They said "no" to \\*all\\* cuts \\\\ and \'more\'.':
                          'Dijeron "no" a \\*todos\\* los recortes \\\\ y \'más\'.',
                      'A path: `C:\\water\\"plan"`.': 'Una ruta: `C:\\water\\"plan"`.'},
        expect_fuzzy={'They said "no" to \\*all\\* the cuts \\\\ and \'more\'.'},
    ),
    "translator comments and header": dict(
        old="Water is a right.\n\nThe council must act.\n",
        new="Water is a right.\n\nThe council must act today.\n",
        translations={"Water is a right.": "El agua es un derecho.",
                      "The council must act.": "El concejo debe actuar."},
        comments={"Water is a right.": "checked with the legal team",
                  "The council must act.": "ayuntamiento?\nconcejo en Argentina"},
        expect_fuzzy={"The council must act today."},
    ),
    "fuzzy entry edited again": dict(
        old="We demand a public audit of every contract.\n",
        new="We demand a public audit of every water contract.\n",
        translations={"We demand a public audit of every contract.":
                          "Exigimos una auditoría pública de cada contrato."},
        fuzzy=("We demand a public audit of every contract.",),
        expect_fuzzy={"We demand a public audit of every water contract."},
    ),
    "untranslated removed entry is dropped": dict(
        old="One.\n\nTwo words here.\n",
        new="One.\n",
        translations={"One.": "Uno."},
    ),
    "two close candidates": dict(
        old="The river is clean today.\n\nThe river is clear today.\n",
        new="The river is clean today!\n",
        translations={"The river is clean today.": "El río está limpio hoy.",
                      "The river is clear today.": "El río está claro hoy."},
        expect_fuzzy={"The river is clean today!"},
    ),
    "long paragraph rewrapped": dict(
        old="Under the reported notification sent to the Congress, the State Department "
            "would transfer $20 million in foreign assistance funds to the Department of "
            "Homeland Security — to pay for the transportation costs of up to 17,000 "
            "non-Mexican undocumented migrants back to their home countries.\n",
        new="Under the reported notification sent to the U.S. Congress, the State "
            "Department would transfer $20 million in foreign assistance funds to the "
            "Department of Homeland Security — to pay for the transportation costs of up to "
            "17,000 non-Mexican undocumented migrants back to their home countries.\n",
        translations={"Under the reported notification sent to the Congress, the State "
                      "Department would transfer $20 million in foreign assistance funds to "
                      "the Department of Homeland Security — to pay for the transportation "
                      "costs of up to 17,000 non-Mexican undocumented migrants back to their "
                      "home countries.":
                      "Según la notificación enviada al Congreso, el Departamento de Estado "
                      "transferiría 20 millones de dólares de fondos de asistencia exterior "
                      "al Departamento de Seguridad Nacional — para pagar el transporte de "
                      "hasta 17 000 personas migrantes."},
        expect_fuzzy={("Under the reported notification sent to the U.S. Congress, the State "
                       "Department would transfer $20 million in foreign assistance funds to "
                       "the Department of Homeland Security — to pay for the transportation "
                       "costs of up to 17,000 non-Mexican undocumented migrants back to their "
                       "home countries.")},
    ),
}


@needs_gettext
@pytest.mark.parametrize("hand_wrapped", [False, True], ids=["gettext-wrapped", "hand-wrapped"])
@pytest.mark.parametrize("name", list(CASES))
def test_update_agrees_with_msgmerge(name: str, hand_wrapped: bool, tmp_path: Path) -> None:
    case = CASES[name]
    old_source = write(tmp_path / "old" / "water", HEAD + case["old"])
    new_source = write(tmp_path / "new" / "water", HEAD + case["new"])
    old_template = extract_catalog(load_statement(old_source))
    translations = {"Water is a right": "El agua es un derecho", **case["translations"]}
    catalog = _catalog(old_template, translations, fuzzy=case.get("fuzzy", ()),
                       comments=case.get("comments"), obsolete=case.get("obsolete"))
    if name == "fuzzy entry edited again":
        for entry in catalog:
            if "fuzzy" in entry.flags:
                entry.previous_msgid = "We demand an audit of every contract."
    data = catalog_bytes(catalog)
    if hand_wrapped:
        data = str(polib.pofile(data.decode("utf-8"), wrapwidth=40)).encode("utf-8")
    catalog_path = new_source.with_name("statement.es.po")
    catalog_path.write_bytes(data)
    template_path = new_source.with_name("statement.pot")
    template_path.write_bytes(catalog_bytes(extract_catalog(load_statement(new_source))))

    expected = msgmerge(catalog_path, template_path)
    assert main(["update", str(new_source), "--lang", "es"]) == 0
    ours = catalog_path.read_bytes()

    assert entries(ours, tmp_path) == entries(expected, tmp_path)
    assert ours == expected  # byte for byte: same header, order, wrapping
    msgfmt_check(catalog_path)

    merged = {e.msgid: e for e in read_catalog_for_update(catalog_path)}
    for msgid in case.get("expect_fuzzy", ()):
        assert "fuzzy" in merged[msgid].flags and merged[msgid].previous_msgid
        assert merged[msgid].msgstr
    for msgid in case.get("expect_obsolete", ()):
        assert merged[msgid].obsolete and merged[msgid].msgstr
    # a translation is never lost
    kept = {e.msgstr for e in merged.values()}
    assert set(translations.values()) <= kept
    header = read_catalog_for_update(catalog_path).metadata
    assert header["Last-Translator"] == "Ana Pérez <ana@example.org>"
    assert header["X-Generator"] == "Poedit 3.4"


@needs_gettext
def test_update_agrees_with_msgmerge_on_random_edits(tmp_path: Path) -> None:
    """Random sentence edits (word changes, insertions, deletions) of a catalog,
    merged by both tools."""
    rng = random.Random(5)
    words = ("water council city public contract river right people must every the of "
             "and to in all now act cuts audit clean summer law vote rights common good "
             "privatisation failed tried demand publish").split()
    sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(2, 14))).capitalize()
                 + "." for _ in range(40)]
    sentences = list(dict.fromkeys(sentences))
    edited = []
    for sentence in sentences:
        tokens = sentence[:-1].split()
        roll = rng.random()
        if roll < 0.3:
            tokens[rng.randrange(len(tokens))] = rng.choice(words)
        elif roll < 0.45:
            tokens.insert(rng.randrange(len(tokens) + 1), rng.choice(words))
        elif roll < 0.55 and len(tokens) > 2:
            del tokens[rng.randrange(len(tokens))]
        elif roll < 0.65:
            continue  # the unit is removed
        edited.append(" ".join(tokens) + ".")
    old_source = write(tmp_path / "old" / "w", HEAD + "\n\n".join(sentences) + "\n")
    new_source = write(tmp_path / "new" / "w", HEAD + "\n\n".join(edited) + "\n")
    template = extract_catalog(load_statement(old_source))
    catalog = _catalog(template, {e.msgid: f"«{e.msgid.upper()}»" for e in template
                                  if rng.random() < 0.85})
    catalog_path = tmp_path / "def.po"
    catalog_path.write_bytes(catalog_bytes(catalog))
    template_path = tmp_path / "new.pot"
    template_path.write_bytes(catalog_bytes(extract_catalog(load_statement(new_source))))
    ours = catalog_bytes(update_catalog(load_statement(new_source), catalog_path, lang="es"))
    assert entries(ours, tmp_path) == entries(msgmerge(catalog_path, template_path), tmp_path)


def test_update_creates_a_catalog_with_language_and_plural_forms(small: Path) -> None:
    assert main(["update", str(small), "--lang", "es", "--lang", "pt-BR"]) == 0
    es = read_catalog_for_update(small.with_name("statement.es.po"))
    assert es.metadata["Language"] == "es"
    assert es.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert es.metadata["POT-Creation-Date"] == "2024-03-01 00:00+0000"
    assert [e.msgid for e in es] == [e.msgid for e in extract_catalog(load_statement(small))]
    assert all(e.msgstr == "" for e in es)
    br = read_catalog_for_update(small.with_name("statement.pt-BR.po"))
    assert br.metadata["Language"] == "pt_BR"
    assert br.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"


def test_update_writes_the_path_named_in_translations(tmp_path: Path) -> None:
    source = write(tmp_path / "s", HEAD.replace("---\n\n", "translations:\n  fr: po/fr.po\n---\n\n")
                   + "Hello there.\n")
    assert main(["update", str(source), "--lang", "fr"]) == 0
    assert (source.parent / "po" / "fr.po").is_file()
    assert not (source.parent / "statement.fr.po").exists()


@needs_gettext
@pytest.mark.parametrize("lang", ["es", "fr", "pt", "pt-BR", "de", "ru", "pl", "cs", "ja"])
def test_plural_forms_are_those_msginit_writes(lang: str, tmp_path: Path) -> None:
    template = tmp_path / "t.pot"
    template.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n',
                        encoding="utf-8")
    result = subprocess.run(["msginit", "--no-translator", "-l", lang.replace("-", "_"),
                             "-i", str(template), "-o", "-"], capture_output=True, check=True)
    po = polib.pofile(result.stdout.decode("utf-8"))
    assert plural_forms(lang) == po.metadata["Plural-Forms"]


def test_plural_forms_fall_back_to_cldr() -> None:
    assert plural_forms("ar").startswith("nplurals=6;")


def test_update_refuses_a_malformed_catalog_and_leaves_it(
        small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = small.with_name("statement.es.po")
    text = ('msgid ""\nmsgstr ""\n"Language: es\\n"\n\nmsgid "Water is a right"\n'
            'msgstr "El agua es\n\nmsgid "Our demands"\nmsgstr ""\n')
    bad.write_text(text, encoding="utf-8")
    assert main(["update", str(small), "--lang", "es"]) == 1
    err = capsys.readouterr().err
    assert "statement.es.po:6: error: malformed PO file" in err
    assert bad.read_text(encoding="utf-8") == text
    with pytest.raises(CatalogError) as info:
        update_catalog(load_statement(small), bad, lang="es")
    assert info.value.line == 6


def test_update_api_does_not_modify_its_input(small: Path) -> None:
    statement = load_statement(small)
    template = extract_catalog(statement)
    catalog = _catalog(template, {"Water is a right": "El agua es un derecho"})
    before = catalog_bytes(catalog)
    update_catalog(template, catalog, lang="es")
    assert catalog_bytes(catalog) == before


# ---------------------------------------------------------------------------
# status and the build side


PARTIAL_STATEMENT = HEAD + """## Our demands

We ask the council to act now.

Read the [full report](https://example.org/report).

Access to water is a human right.[^1]

[^1]: United Nations resolution 64/292.
"""

PARTIAL_CATALOG = """\
msgid ""
msgstr ""
"Language: es\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Water is a right"
msgstr "El agua es un derecho"

msgid "Our demands"
msgstr ""

#, fuzzy
msgid "We ask the council to act now."
msgstr "Pedimos al concejo que actúe ya."

msgid "Read the [full report](https://example.org/report)."
msgstr "Lea el informe completo."

msgid "Access to water is a human right.[^1]"
msgstr "El acceso al agua es un derecho humano."

#~ msgid "United Nations resolution 64/292."
#~ msgstr "Resolución 64/292 de las Naciones Unidas."
"""

REASONS = {
    "Our demands": "untranslated (empty msgstr)",
    "We ask the council to act now.": "fuzzy",
    "Read the [full report](https://example.org/report).":
        "drops link target https://example.org/report",
    "Access to water is a human right.[^1]": "drops footnote [^1]",
    "United Nations resolution 64/292.": "obsolete",
}


@pytest.fixture()
def partial(tmp_path: Path) -> Path:
    source = write(tmp_path / "water", PARTIAL_STATEMENT)
    source.with_name("statement.es.po").write_text(PARTIAL_CATALOG, encoding="utf-8")
    return source


def test_status_reports_each_reason(partial: Path) -> None:
    [status] = catalog_status(load_statement(partial))
    assert isinstance(status, LanguageStatus)
    assert {p.msgid: p.reason for p in status.problems} == REASONS
    assert [p.line for p in status.problems] == [6, 8, 10, 12, 14]
    assert (status.total, status.translated, status.fuzzy, status.untranslated,
            status.unusable, status.obsolete) == (6, 1, 1, 2, 2, 1)
    assert status.coverage == 16.7
    assert status.catalog == "statement.es.po"
    json.dumps(status.to_dict())


def test_status_json_snapshot(partial: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str], data_regression: Any) -> None:
    monkeypatch.chdir(partial.parent)
    assert main(["status", "statement.md", "--json"]) == 0
    data_regression.check(json.loads(capsys.readouterr().out))


def test_status_table_and_min_coverage(partial: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", str(partial), "--min-coverage", "10"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["lang", "translated", "fuzzy", "untranslated",
                                           "unusable", "obsolete", "units", "words",
                                           "coverage", "published"]
    # coverage is of the words ("Water is a right": 4 of 29), as the publishing threshold
    assert out.splitlines()[1].split() == ["es", "1", "1", "2", "2", "1", "1/6", "4/29",
                                           "13.7%", "yes"]  # at --min-coverage 10
    assert "statement.md:10: [es] Paragraph: drops link target https://example.org/report" in out
    assert main(["status", str(partial), "--lang", "es", "--min-coverage", "50"]) == 1
    assert "coverage 13.7% of the words is below 50%" in capsys.readouterr().err
    assert main(["status", str(partial), "--lang", "fr"]) == 1
    assert "statement.fr.po" in capsys.readouterr().err


def test_partial_catalog_falls_back_to_english_marked_en(partial: Path) -> None:
    html = render_html(load_statement(partial), "es")
    assert '<html lang="es"' in html
    assert "<h1>El agua es un derecho</h1>" in html
    assert '<h2 id="our-demands" lang="en" dir="ltr">Our demands</h2>' in html
    assert '<p lang="en" dir="ltr">We ask the council to act now.</p>' in html
    assert ('<p lang="en" dir="ltr">Read the <a href="https://example.org/report">'
            'full report</a>.</p>' in html)
    assert '<p lang="en" dir="ltr">Access to water is a human right.' in html
    assert '<p lang="en" dir="ltr">United Nations resolution 64/292.' in html
    for msgstr in ("Pedimos al concejo", "Lea el informe completo",
                   "El acceso al agua", "Resolución 64/292"):
        assert msgstr not in html


def test_strict_build_refuses_a_partial_catalog(partial: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "dist"
    assert main(["build", str(partial), "--lang", "es", "--format", "html", "--out", str(out),
                 "--strict"]) == 1
    assert not out.exists() or not any(out.iterdir())
    err = capsys.readouterr().err
    for line in (6, 8, 10, 12, 14):
        assert f":{line}:" in err


@needs_gettext
def test_obsolete_fuzzy_entries_keep_their_previous_msgid(tmp_path: Path) -> None:
    """``#~|`` lines (which polib drops) survive a second update, as with msgmerge."""
    first = write(tmp_path / "one" / "w", HEAD + "Keep this.\n\nWe demand an audit of every "
                  "public contract.\n")
    second = write(tmp_path / "two" / "w", HEAD + "Keep this.\n")
    catalog = _catalog(extract_catalog(load_statement(first)),
                       {"Keep this.": "Conservar esto.",
                        "We demand an audit of every public contract.":
                            "Exigimos una auditoría de cada contrato."},
                       fuzzy=("We demand an audit of every public contract.",))
    for entry in catalog:
        if "fuzzy" in entry.flags:
            entry.previous_msgid = "We demand an audit of every contract."
    catalog_path = tmp_path / "def.po"
    catalog_path.write_bytes(catalog_bytes(catalog))
    template_path = tmp_path / "two.pot"
    template_path.write_bytes(catalog_bytes(extract_catalog(load_statement(second))))
    once = msgmerge(catalog_path, template_path)
    assert b'#~| msgid "We demand an audit of every contract."' in once
    assert catalog_bytes(update_catalog(load_statement(second), catalog_path, lang="es")) == once
    catalog_path.write_bytes(once)
    again = catalog_bytes(update_catalog(load_statement(second), catalog_path, lang="es"))
    assert again == msgmerge(catalog_path, template_path) == once
    # the unit comes back: revived, still fuzzy, with its previous msgid
    revived = update_catalog(load_statement(first), catalog_path, lang="es")
    first_template = tmp_path / "one.pot"
    first_template.write_bytes(catalog_bytes(extract_catalog(load_statement(first))))
    assert catalog_bytes(revived) == msgmerge(catalog_path, first_template)
    entry = next(e for e in revived if e.msgid.startswith("We demand"))
    assert not entry.obsolete and "fuzzy" in entry.flags
    assert entry.previous_msgid == "We demand an audit of every contract."


def test_update_refuses_the_source_language(small: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["update", str(small), "--lang", "en-GB"]) == 1
    assert "source language" in capsys.readouterr().err


@needs_gettext
def test_catalog_bytes_wraps_as_gettext_does(tmp_path: Path) -> None:
    """msgcat (gettext's own PO writer) leaves our output byte for byte as it is:
    UAX #14 break opportunities (spaces, hyphens, dashes, slashes, CJK), escapes,
    multi-line strings, references, previous msgids and obsolete entries."""
    rng = random.Random(7)
    words = ("the of and to organizations asylum non-refoulement U.S.-Mexico protección "
             "niñez €20 $20 17,000 3.5% 2018-09-20 e.g. (AAMX) A.C. [full letter]"
             "(https://example.org/letters/safe-third-country.pdf) [^1] **strong** *emph* "
             "`code` «citation» “quoted” \"dq\" 'sq' back\\slash and/or — – … ¿Qué? ¡Sí! "
             "日本語の文章 中文字符 العربية עברית Ελληνικά Русский ½ ° § © • × #hash "
             "{brace} <tag> = + * & | ; : , . ! ?").split(" ")
    separators = [" "] * 20 + ["", "  ", " — ", "\n", ", ", "/", "-", "\t"]
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    seen: set[str] = set()
    for _ in range(400):
        count = rng.randint(1, 50)
        text = "".join(rng.choice(words) + (rng.choice(separators) if i < count - 1 else "")
                       for i in range(count))
        if not text or text in seen:
            continue
        seen.add(text)
        entry = polib.POEntry(
            msgid=text, msgstr=text[::-1] if rng.random() < 0.6 else "",
            comment="Paragraph",
            occurrences=[("statement.md", str(rng.randint(1, 9999)))
                         for _ in range(rng.randint(0, 12))])
        if entry.msgstr and rng.random() < 0.2:
            entry.flags = ["fuzzy"]
            entry.previous_msgid = text[: len(text) // 2]
        if entry.msgstr and rng.random() < 0.1:
            entry.obsolete = True
        po.append(entry)
    ours = catalog_bytes(po)
    path = tmp_path / "wrap.po"
    path.write_bytes(ours)
    assert subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout == ours


# ---------------------------------------------------------------------------
# translate.linebreak: UAX #14 break opportunities, as gnulib's unilbrk


def _breaks(text: str) -> str:
    """``text`` with ``|`` where a break is possible before a character, ``!``
    where one is mandatory."""
    marks = {PROHIBITED: "", POSSIBLE: "|", MANDATORY: "!"}
    kinds = possible_linebreaks(list(text))
    return "".join(marks[kind] + ch for kind, ch in zip(kinds, text, strict=True))


@pytest.mark.parametrize(("text", "expected"), [
    ("water is a right", "water |is |a |right"),        # after spaces (LB18)
    ("non-refoulement", "non-|refoulement"),            # after a hyphen (LB21)
    ("and/or", "and/|or"),                              # after a solidus
    ("17,000 3.5%", "17,000 |3.5%"),                    # numbers stay whole (LB25)
    ("[^1]", "[^1]"),                                   # a footnote mark stays whole
    ("a — b", "a |— |b"),                               # around an em dash (B2)
    ("日本語の文章", "日|本|語|の|文|章"),                # between ideographs (LB31)
    ("a\nb", "a!\nb"),                                  # mandatory after a line feed
])
def test_linebreak_opportunities(text: str, expected: str) -> None:
    assert _breaks(text) == expected


def test_linebreak_width_breaks_greedily_and_keeps_long_pieces_whole() -> None:
    text = list("aaaa bbbb cccc")
    breaks = width_linebreaks(text, 9, 0, [False] * len(text))
    assert [i for i, brk in enumerate(breaks) if brk] == [5]  # "aaaa |bbbb cccc"
    word = list("refoulement")
    assert not any(width_linebreaks(word, 4, 0, [False] * len(word)))


# ---------------------------------------------------------------------------
# translate.merge: msgmerge's similarity (gnulib's fstrcmp)


def test_merge_fstrcmp_is_twice_the_common_subsequence_over_the_length() -> None:
    assert fstrcmp(b"kitten", b"sitting") == pytest.approx(2 * 4 / 13)  # LCS "ittn"
    assert fstrcmp(b"abc", b"abd") == pytest.approx(2 * 2 / 6)
    assert fstrcmp(b"", b"") == 1.0 and fstrcmp(b"water", b"") == 0.0
    assert fstrcmp(b"We demand an audit of every contract.",
                   b"We demand an audit of every public contract.") == pytest.approx(74 / 81)
    # a bound that cannot be reached gives 0.0 without computing the subsequence
    assert fstrcmp(b"ab", b"abcdefgh") == pytest.approx(0.4)
    assert fstrcmp(b"ab", b"abcdefgh", FUZZY_THRESHOLD) == 0.0


# ---------------------------------------------------------------------------
# the package's layout: names kept, no import cycle

SRC = Path(statementpub.__file__).resolve().parent


def test_translate_keeps_exporting_the_names_others_import() -> None:
    assert sorted(translate.__all__) == [
        "LanguageStatus", "Problem", "catalog_bytes", "catalog_path", "catalog_status",
        "extract_catalog", "new_catalog", "plural_forms", "read_catalog_for_update",
        "update_catalog"]
    homes = {"extract_catalog": extract, "update_catalog": merge, "catalog_path": merge,
             "new_catalog": merge, "plural_forms": plurals, "catalog_bytes": pofile,
             "read_catalog_for_update": pofile, "catalog_status": status,
             "LanguageStatus": status, "Problem": status}
    for name, module in homes.items():
        assert getattr(translate, name) is getattr(module, name), name
    assert statementpub.catalog_status is status.catalog_status


def _import_graph() -> dict[str, set[str]]:
    """Which statementpub module imports which, from the source (``ast``),
    function-level imports included; importing ``a.b`` imports the package ``a``."""
    modules: dict[str, tuple[Path, bool]] = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        package = parts[-1] == "__init__"
        modules[".".join(parts[:-1] if package else parts)] = (path, package)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, (path, package) in modules.items():
        here = name if package else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = here.split(".")[:len(here.split(".")) - node.level + 1] \
                    if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                targets += [target] + [f"{target}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                targets += [alias.name for alias in node.names]
            for target in targets:
                parts = target.split(".")
                for end in range(2, len(parts) + 1):  # the package itself is everyone's parent
                    imported = ".".join(parts[:end])
                    if imported in modules and imported != name \
                            and not name.startswith(imported + "."):
                        graph[name].add(imported)
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


OWN_MODULES = ["statementpub.translate", "statementpub.translate.extract",
               "statementpub.translate.merge", "statementpub.translate.plurals",
               "statementpub.translate.status", "statementpub.translate.pofile",
               "statementpub.translate.linebreak", "statementpub.catalogs",
               "statementpub.i18n", "statementpub.extract_ui", "statementpub.loader",
               "statementpub.frontmatter", "statementpub.model"]


@pytest.mark.parametrize("module", OWN_MODULES)
def test_translate_catalogs_loader_model_import_no_cycle(module: str) -> None:
    graph = _import_graph()
    assert module in graph
    assert not _reaches(graph, module, module)


def test_translate_layers() -> None:
    """The build's catalog reading needs none of the translator's workflow, and the
    line breaker and the PO writer know nothing of statements."""
    graph = _import_graph()
    assert not _reaches(graph, "statementpub.catalogs", "statementpub.translate")
    for module in ("statementpub.translate.linebreak", "statementpub.translate.plurals"):
        assert graph[module] == set(), module
    assert graph["statementpub.translate.pofile"] == {
        "statementpub.catalogs", "statementpub.errors", "statementpub.translate.linebreak"}
