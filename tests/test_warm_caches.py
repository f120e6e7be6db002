"""The caches of warm library use (statementpub/memo.py and its users): a second call
with the same inputs reuses the work of the first, a changed input is read again, the
bytes never change, and many threads get the bytes of one. Speed is measured in
benchmarks/warm.py, not here."""

from __future__ import annotations

import os
import re
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polib
import pytest

from statementpub import catalogs, i18n, load_statement, make_edition, render_epub, render_html
from statementpub import fonts as fonts_module
from statementpub.edition import glyphs
from statementpub.edition import make as edition_make
from statementpub.fonts import first_families, font_set
from statementpub.i18n import _catalog_in, _catalogs_in, interface
from statementpub.memo import LRU, IdentityCache
from statementpub.render import html as html_render
from statementpub.resources import styles_dir

from .conftest import EXAMPLES

RIVER = EXAMPLES / "river-commons"


@pytest.fixture
def river(tmp_path: Path) -> Path:
    """A copy of the river-commons example (statement, Spanish catalog, images)."""
    folder = tmp_path / "river-commons"
    shutil.copytree(RIVER, folder)
    return folder / "statement.md"


def _replace_keeping_stat(path: Path, old: str, new: str) -> None:
    """Change ``path``'s text to a same-length one with the same modification time:
    only the bytes tell the versions apart."""
    assert len(old.encode()) == len(new.encode())
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size


def test_the_same_call_returns_the_same_edition(river: Path) -> None:
    statement = load_statement(river)
    assert make_edition(statement, "es") is make_edition(statement, "es")
    assert make_edition(statement, "en") is make_edition(statement, "en")
    assert make_edition(statement, "es") is not make_edition(statement, "en")


def test_a_catalog_saved_between_two_calls_is_read_again(river: Path) -> None:
    statement = load_statement(river)
    first = render_html(statement, "es")
    assert "Coalición Río Común" in first
    # same size, same modification time: only the bytes differ
    _replace_keeping_stat(river.with_name("statement.es.po"), "Coalición Río Común",
                          "Coalición Río Comén")
    second = render_html(statement, "es")
    assert "Coalición Río Comén" in second and "Coalición Río Común" not in second
    edition = make_edition(statement, "es")
    original = make_edition(load_statement(RIVER / "statement.md"), "es")
    assert edition.catalog_sha256 != original.catalog_sha256


def test_a_catalog_given_by_path_is_read_again(river: Path, tmp_path: Path) -> None:
    statement = load_statement(river)
    catalog = tmp_path / "given.po"
    shutil.copy(river.with_name("statement.es.po"), catalog)
    assert "Coalición Río Común" in render_html(statement, "es", catalog=catalog)
    _replace_keeping_stat(catalog, "Coalición Río Común", "Coalición Río Cimún")
    assert "Coalición Río Cimún" in render_html(statement, "es", catalog=str(catalog))


def test_a_catalog_object_is_never_kept(river: Path) -> None:
    statement = load_statement(river)
    po = polib.pofile(str(river.with_name("statement.es.po")))
    assert "Coalición Río Común" in render_html(statement, "es", catalog=po)
    entry = po.find("River Commons Coalition")
    assert entry is not None
    entry.msgstr = "Coalición del Río"
    assert "Coalición del Río" in render_html(statement, "es", catalog=po)
    assert make_edition(statement, "es", po) is not make_edition(statement, "es", po)


def test_an_interface_catalog_saved_between_two_calls_is_read_again(river: Path,
                                                                    tmp_path: Path) -> None:
    folder = tmp_path / "ui"
    (folder / "es" / "LC_MESSAGES").mkdir(parents=True)
    ui_catalog = folder / "es" / "LC_MESSAGES" / "statementpub.po"
    source = Path(__file__).resolve().parent.parent / "locales" / "es" / "LC_MESSAGES" \
        / "statementpub.po"
    shutil.copy(source, ui_catalog)
    statement = load_statement(river)
    assert ">Firmantes<" in render_html(statement, "es", interface_catalogs=folder)
    _replace_keeping_stat(ui_catalog, 'msgstr "Firmantes"', 'msgstr "Adhesión"')
    assert ">Adhesión<" in render_html(statement, "es", interface_catalogs=folder)
    assert interface("es", catalogs=folder).gettext("Signatories").value == "Adhesión"


def test_a_different_statement_gives_its_own_edition(river: Path) -> None:
    first = load_statement(river)
    before = render_html(first, "en")
    text = river.read_text(encoding="utf-8")
    river.write_text(text.replace("Keep the Aliso Flowing", "Let the Aliso Flow"),
                     encoding="utf-8")
    second = load_statement(river)
    assert "Let the Aliso Flow" in render_html(second, "en")
    assert render_html(first, "en") == before  # the first statement is unchanged
    assert make_edition(first, "en") is not make_edition(second, "en")


def test_caches_are_bounded() -> None:
    lru: LRU[int, str] = LRU(maxsize=3)
    for number in range(10):
        lru.put(number, str(number))
    assert len(lru) == 3 and lru.get(9) == "9" and lru.get(0) is None
    cache: IdentityCache[object, int] = IdentityCache(maxsize=2)
    held = [object() for _ in range(5)]
    for number, obj in enumerate(held):
        assert cache.get_or_make(obj, lambda number=number: number) == number  # type: ignore[misc]
    assert len(cache) == 2
    assert len(edition_make._EDITIONS._lru) <= edition_make._EDITIONS._lru.maxsize


#: Every cache of warm use, to empty them (a cold process) or to check their bounds.
ALL_CACHES = (edition_make._EDITIONS, glyphs._DRAWN, glyphs._MISSING, html_render._FAMILIES,
              catalogs._INDEXES, i18n._TRANSLATIONS, i18n._INTERFACES)


def _clear_caches() -> None:
    for cache in ALL_CACHES:
        cache.clear()


def test_warm_calls_give_the_bytes_of_a_cold_one(river: Path) -> None:
    statement = load_statement(river)
    _clear_caches()
    cold = {lang: render_html(statement, lang) for lang in ("en", "es")}
    assert {lang: render_html(statement, lang) for lang in ("en", "es")} == cold
    # a statement loaded again (a new object: nothing of the first is reused by identity)
    again = load_statement(river)
    assert {lang: render_html(again, lang) for lang in ("en", "es")} == cold


def test_many_threads_get_the_bytes_of_one(river: Path) -> None:
    statement = load_statement(river)
    langs = ("en", "es")
    expected = {lang: render_html(statement, lang).encode() for lang in langs}
    epub = render_epub(statement, "es")
    _clear_caches()  # every thread starts cold: they race to fill the caches
    threads = 16
    barrier = threading.Barrier(threads)

    def call(index: int) -> bytes:
        if index < threads:
            barrier.wait()
        return render_html(statement, langs[index % 2]).encode()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(call, range(4 * threads)))
    assert results == [expected[langs[index % 2]] for index in range(4 * threads)]
    assert render_epub(statement, "es") == epub


def test_caches_stay_bounded_over_many_statements(river: Path) -> None:
    maxsize = edition_make._EDITIONS._lru.maxsize
    for _ in range(maxsize + 4):
        statement = load_statement(river)  # a new object each time
        render_html(statement, "en")
        render_html(statement, "es")
    for cache in ALL_CACHES:
        bound = cache._lru.maxsize if isinstance(cache, IdentityCache) else cache.maxsize
        assert len(cache) <= bound


def test_the_language_rules_of_fonts_css_are_read_on_every_call(
        river: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What an edition draws is kept per edition and font set, but which family
    fonts.css names first for its languages is looked up again (the file may change)."""
    edition = make_edition(load_statement(river), "es")
    chosen = font_set()
    css = html_render.stylesheet("fonts.css", "base.css")
    hebrew = re.compile(r'@font-face\s*\{[^}]*font-family:\s*"Noto Sans Hebrew"')
    before = html_render.edition_fonts_css(edition, chosen, css)
    assert not hebrew.search(before)
    styles = tmp_path / "styles"
    styles.mkdir()
    shipped = (styles_dir() / "fonts.css").read_text(encoding="utf-8")
    (styles / "fonts.css").write_text(
        shipped + ':lang(es) { font-family: "Noto Sans Hebrew"; }\n', encoding="utf-8")
    monkeypatch.setattr(fonts_module, "styles_dir", lambda: styles)
    after = html_render.edition_fonts_css(edition, chosen, css)
    assert hebrew.search(after)
    assert html_render.edition_fonts_css(edition, chosen, css) == after
    monkeypatch.undo()
    assert html_render.edition_fonts_css(edition, chosen, css) == before


def test_families_for_is_its_two_parts() -> None:
    chosen = font_set()
    text = "Río \u0627\u0644 \u05e9 \u0928 \u2211 x"
    for langs in ((), ("es",), ("ar", "he"), ("hi", "ru")):
        assert chosen.families_for(text, langs) == \
            first_families(langs) | chosen.families_drawing(text)


# The rewritten patterns match what the ones they replace matched.

_OLD_RAW_TEXT = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.S | re.I)


@pytest.mark.parametrize("markup", [
    "<p>a</p><style>p{}</style><p onclick=1>x</p>",
    "<STYLE media=x>a < b </style >c</Style>d<script>1<2</script><script>",
    "<style>never closed <p>text</p>",
    "<style>a</stylex></style><style></style>",
    "<script>\n</scr</script\n>on x=1",
    "<style>x</script></style><script>y</style></script>",
])
def test_raw_text_pattern_is_unchanged(markup: str) -> None:
    assert [m.span() for m in html_render._RAW_TEXT.finditer(markup)] == \
        [m.span() for m in _OLD_RAW_TEXT.finditer(markup)]


def test_one_interface_catalog_is_found_as_the_listing_finds_it(tmp_path: Path) -> None:
    for relative in ("es/LC_MESSAGES/statementpub.po", "pt_BR/LC_MESSAGES/statementpub.po",
                     "PT-br.po", "fr.po", "De/LC_MESSAGES/statementpub.po", "de.po",
                     ".hidden/LC_MESSAGES/statementpub.po", "nl/LC_MESSAGES/other.po", ".it.po"):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    (tmp_path / "it.po").mkdir()
    listing = _catalogs_in(tmp_path)
    for tag in ("es", "pt-br", "fr", "de", "nl", "it", ".hidden", ".it", "xx"):
        assert _catalog_in(tmp_path, tag) == listing.get(tag), tag
    assert _catalog_in(tmp_path / "missing", "es") is None


# Compiled templates (render/html.py, _Loader): the first render in a process skips
# Jinja's compiler, and never uses code made from another template text.

@pytest.mark.parametrize("name", html_render.TEMPLATE_NAMES)
def test_compiled_templates_are_what_jinja_makes_of_the_templates(name: str) -> None:
    shipped = (html_render._TEMPLATES / f"{name}.compiled").read_text(encoding="utf-8")
    assert shipped == html_render.compiled_template(name), (
        "regenerate: python -c 'from statementpub.render.html import "
        "write_compiled_templates as w; w()'")


def test_a_compiled_template_is_used_only_for_the_text_it_was_made_from(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = "edition.pandoc.html.j2"
    environment = html_render._environment()
    monkeypatch.setattr(html_render, "_TEMPLATES", tmp_path)
    monkeypatch.setattr(environment, "loader", html_render._Loader(str(tmp_path)))
    environment.cache.clear()  # type: ignore[union-attr]
    try:
        template = tmp_path / name
        template.write_text("{{ lang }} from the file\n", encoding="utf-8")
        # a compiled file that claims the template's text but holds other code: used
        key = html_render._compiled_key(environment, name, template.read_text("utf-8"))
        code = environment.compile("{{ lang }} from the compiled code\n", name, str(template),
                                   raw=True)
        (tmp_path / f"{name}.compiled").write_text(
            f"{html_render._COMPILED_HEADER}{key}\n{code}", encoding="utf-8")
        assert environment.get_template(name).render(lang="es") == \
            "es from the compiled code\n"
        # the template changed: the compiled code is not its own any more
        template.write_text("{{ lang }} from the edited file\n", encoding="utf-8")
        environment.cache.clear()  # type: ignore[union-attr]
        assert environment.get_template(name).render(lang="es") == "es from the edited file\n"
    finally:
        environment.cache.clear()  # type: ignore[union-attr]
