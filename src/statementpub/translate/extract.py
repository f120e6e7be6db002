"""The translation template (``.pot``) of a statement.

Follows STATEMENT_FORMAT.md ("Translation units") and the gettext manual
("The Format of PO Files"): one message per distinct msgid, in document
order, with every ``#:`` reference, one ``#.`` comment per role and a hint for
the translator, like ``xgettext`` makes a template from a program's sources.
"""

from __future__ import annotations

import polib

from ..model import Statement
from ..units import Unit, iter_units, translator_hint
from .plurals import gettext_language
from .pofile import PAGE_WIDTH

__all__ = ["extract_catalog"]


def extract_catalog(statement: Statement) -> polib.POFile:
    """The translation template of ``statement``.

    One entry per distinct msgid, in document order (STATEMENT_FORMAT.md,
    "Translation units"): its ``#:`` references name every unit with that
    msgid (``statement.md:LINE``, the line where the unit starts), its ``#.``
    comments name each distinct role in document order, followed by a hint
    where one helps (keep link targets, footnote references, image sources).
    The header carries ``Project-Id-Version`` (the slug), ``POT-Creation-Date``
    (the statement's ``date`` at 00:00 UTC, not the time the file was made, so
    that the same source gives the same bytes and ``update`` rewrites a catalog
    only when a message changed), ``Language`` (the source language, which the
    msgids are in; ``update``, ``msginit``, Poedit and Weblate set the
    translation's language when they make a catalog from the template) and
    UTF-8 content type; the translator's fields are present and empty, for
    ``msginit`` or a PO editor to fill. ``msgfmt --check`` is silent on it.

    :param statement: a loaded statement.
    :returns: a new :class:`polib.POFile`; write it with :func:`catalog_bytes`.
    """
    labels = tuple(note.label for note in statement.body.footnotes)
    grouped: dict[str, list[Unit]] = {}
    for unit in iter_units(statement):
        grouped.setdefault(unit.msgid, []).append(unit)
    po = polib.POFile(wrapwidth=PAGE_WIDTH)
    po.header = (f'Translation template of the statement "{statement.slug}".\n'
                 f"Made by statementpub from {statement.display_path}: edit the statement, "
                 "not this file.")
    po.metadata = _template_metadata(statement)
    for msgid, units in grouped.items():
        roles = list(dict.fromkeys(unit.role for unit in units))
        hints = list(dict.fromkeys(hint for unit in units
                                   if (hint := translator_hint(unit, labels)) is not None))
        po.append(polib.POEntry(
            msgid=msgid,
            msgstr="",
            comment="\n".join(roles + hints),
            occurrences=list(dict.fromkeys((statement.display_path, str(unit.line))
                                           for unit in units)),
        ))
    return po


def _template_metadata(statement: Statement) -> dict[str, str]:
    return {
        "Project-Id-Version": statement.slug,
        "POT-Creation-Date": f"{statement.date.isoformat()} 00:00+0000",
        "PO-Revision-Date": "",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": gettext_language(statement.lang),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
