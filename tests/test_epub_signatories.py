"""The EPUB's signatory list put in after pandoc (``render/epub_signatories.py``): the
package's bytes are the same as when pandoc reads the whole list, on the example, the
corpus, the right-to-left fixture and generated names full of escapes and spaces."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from statementpub.edition import make_edition
from statementpub.errors import EpubRenderError
from statementpub.loader import load_statement
from statementpub.render import epub
from statementpub.render.epub_signatories import cut, restore
from statementpub.render.formats import epub_html, has_images

from .conftest import CORPUS_STATEMENT, EXAMPLES

ROOT = Path(__file__).resolve().parent
RTL = ROOT / "fixtures" / "rtl" / "statement.md"
FIDELITY = ROOT / "fixtures" / "fidelity" / "statement.md"

#: Pieces of names that pandoc's reader and writer treat in a special way.
_PIECES = ["Tom & Jerry", "<Coalition>", '"quoted"', "'single'", "a  b", "tab\there",
           "line\rfeed", "no\u00a0break", "em\u2003space", "zero\u200bwidth",
           "\u0627\u0644\u0623\u0645\u0644", "\u05e9\u05dc\u05d5\u05dd", "e\u0301cole",
           "\U0001f30d", "--", "...", "&amp;", "&#39;", "back\\slash", "[brackets]",
           "*stars*", "_under_", "`tick`", "{curly}", "a|b", "~tilde~", "^caret^",
           "\u200fmark", "statementpub-signatories-0", "new\nline",
           "line\u2028separator", "para\u2029sep"]
#: Notes are inline Markdown, which may not hold raw HTML.
_NOTE_PIECES = [piece for piece in _PIECES if "<" not in piece]


def _tricky_statement(folder: Path, count: int = 240) -> Path:
    """A statement whose signatories are names built from :data:`_PIECES`, with every
    kind of item: plain, with a language, a country, a note (plain and with
    Markdown), and a link (which pandoc reads)."""
    import yaml

    rnd = random.Random(7)
    signatories: list[object] = []
    for index in range(count):
        name = " ".join(rnd.choice(_PIECES) for _ in range(rnd.randint(1, 4))) + f" {index}"
        kind = index % 8
        if kind == 0:
            signatories.append(name)
        elif kind == 1:
            signatories.append({"name": name, "lang": rnd.choice(["es", "ar", "fr", "he"])})
        elif kind == 2:
            signatories.append({"name": name, "country": rnd.choice(["MX", "EG", "FR"])})
        elif kind == 3:
            signatories.append({"name": name, "note": rnd.choice(_NOTE_PIECES)})
        elif kind == 4:
            signatories.append({"name": name, "note": "with *emphasis* & more"})
        elif kind == 5:
            signatories.append({"name": name,
                                "url": f"https://example.org/a?b={index}&c='d'"})
        else:
            signatories.append({"name": f"  {name}  ", "lang": "es", "country": "AR",
                                "note": rnd.choice(_NOTE_PIECES)})
    head = {"title": "Names that pandoc escapes", "date": "2026-02-01", "lang": "en",
            "signatories": signatories}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "statement.md"
    path.write_text("---\n" + yaml.safe_dump(head, allow_unicode=True, sort_keys=False)
                    + "---\n\nThe body.\n", encoding="utf-8")
    return path


def _both_ways(source: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, bytes]:
    statement = load_statement(source)
    edition = make_edition(statement, lang)
    html = epub_html(edition)
    images = has_images(statement)
    monkeypatch.setattr(epub, "CUT_SIGNATORIES", False)
    whole = epub.html_to_epub(html, edition, has_images=images)
    monkeypatch.setattr(epub, "CUT_SIGNATORIES", True)
    after = epub.html_to_epub(html, edition, has_images=images)
    return whole, after


def _sources() -> list[tuple[Path, str]]:
    found = [(path, "en") for path in sorted(EXAMPLES.glob("*/statement.md"))]
    found += [(EXAMPLES / "river-commons" / "statement.md", "es"), (RTL, "ar"),
              (FIDELITY, "es")]
    return found


@pytest.mark.parametrize(("source", "lang"), _sources(),
                         ids=[f"{p.parent.name}-{lang}" for p, lang in _sources()])
def test_the_list_put_in_after_pandoc_gives_the_same_epub(source: Path, lang: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    whole, after = _both_ways(source, lang, monkeypatch)
    assert whole == after


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_same_epub_on_the_corpus(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if not CORPUS_STATEMENT.is_file():
        pytest.skip("../shared/corpus is absent")
    whole, after = _both_ways(CORPUS_STATEMENT, lang, monkeypatch)
    assert whole == after


def test_the_same_epub_on_names_full_of_escapes(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    source = _tricky_statement(tmp_path / "tricky")
    edition = make_edition(load_statement(source), "en")
    smaller, runs = cut(epub_html(edition))
    # links and Markdown notes went to pandoc, between runs of plain items
    assert len(runs) > 20 and 'href="https://example.org/a?b=5&amp;' in smaller
    whole, after = _both_ways(source, "en", monkeypatch)
    assert whole == after


def test_the_same_epub_from_a_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _tricky_statement(tmp_path / "tricky", count=40)
    statement = load_statement(source)
    edition = make_edition(statement, "en")
    items = [(epub_html(edition), edition, has_images(statement))]
    monkeypatch.setattr(epub, "CUT_SIGNATORIES", False)
    whole = epub.EpubBatch(items).results()
    monkeypatch.setattr(epub, "CUT_SIGNATORIES", True)
    after = epub.EpubBatch(items).results()
    assert isinstance(after[0], bytes) and whole == after


def test_pandoc_reads_a_tenth_of_a_long_list() -> None:
    lines = "\n".join(f'<li><span class="signatory-name" dir="auto">Name {i}</span></li>'
                      for i in range(5000))
    html = (f'<h2 id="signatories">S</h2>\n<div class="signatories">\n'
            f'<ol class="signatory-list">\n{lines}\n</ol>\n</div>\n')
    smaller, runs = cut(html)
    assert len(smaller) < len(html) / 10
    assert smaller.count("<li>") == 1 and len(runs) == 1
    assert runs[0].count("\n") == 4999 and "Name 4999</span></li>" in runs[0]


def test_an_item_is_written_as_pandoc_writes_it() -> None:
    html = ('<ol class="signatory-list">\n'
            '<li><span class="signatory-name" lang="es" dir="ltr">Tom &amp; &#34;Jerry&#34;'
            '\t  &#39;x&#39;</span> <span class="signatory-country">(M\u00e9xico)</span></li>\n'
            '<li><span class="signatory-name" dir="auto"><a href="https://e.org">L</a></span></li>\n'
            '</ol>\n')
    smaller, runs = cut(html)
    assert runs == [('<li><span class="signatory-name" lang="es" dir="ltr">Tom &amp; "Jerry" '
                    "'x'</span> <span class=\"signatory-country\">(M\u00e9xico)</span></li>")]
    assert smaller.splitlines()[1] == "<li>statementpub-signatories-0</li>"
    assert 'href="https://e.org"' in smaller.splitlines()[2]


def test_a_lost_or_repeated_placeholder_is_an_error() -> None:
    runs = ["<li>a</li>"]
    with pytest.raises(EpubRenderError, match="0 times"):
        restore({"ch001.xhtml": "<ol>\n</ol>"}, runs)
    twice = "<li>statementpub-signatories-0</li>\n<li>statementpub-signatories-0</li>"
    with pytest.raises(EpubRenderError, match="2 times"):
        restore({"ch001.xhtml": twice}, runs)
    assert restore({"a.xhtml": "x", "b.xhtml": "<li>statementpub-signatories-0</li>"},
                   runs) == {"b.xhtml": "<li>a</li>"}


def test_html_without_a_list_is_left_as_it_is() -> None:
    assert cut("<p>no list</p>") == ("<p>no list</p>", [])
