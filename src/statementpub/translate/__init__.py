"""The translator's workflow for statement catalogs: extract, update, status.

Follows STATEMENT_FORMAT.md ("Translation units", "Editions and catalogs")
and the GNU gettext manual, so that the files are those a gettext tool would
write and read. One module per concern, as Babel's ``babel.messages`` is laid
out:

- :mod:`.extract` — :func:`extract_catalog` makes a statement's template
  (``.pot``): one message per distinct msgid, in document order, with every
  ``#:`` reference, one ``#.`` comment per role and a hint for the translator
  (gettext manual, "The Format of PO Files").
- :mod:`.merge` — :func:`update_catalog` merges that template into a
  language's catalog the way ``msgmerge --previous`` does (gettext manual,
  "Invoking the msgmerge Program"): exact matches keep their translation
  (obsolete ones are revived); a new message close to an old one gets the old
  translation, marked fuzzy, with the old msgid as ``#|``; unused messages
  become obsolete (``#~``). A translation is never lost. :func:`new_catalog`
  makes a new catalog as ``msginit`` does; :func:`catalog_path` says where
  ``update`` writes it.
- :mod:`.plurals` — :func:`plural_forms`: the ``Plural-Forms`` header of a
  language, from gettext's table, then CLDR's.
- :mod:`.status` — :func:`catalog_status` counts, per language, the
  translated, fuzzy, untranslated and obsolete messages, and lists every unit
  an edition would show in the source language, with the reason
  (:func:`statementpub.catalogs.judge`), as :class:`LanguageStatus` and
  :class:`Problem` values.
- :mod:`.pofile` — :func:`catalog_bytes` writes a catalog exactly as GNU
  gettext's ``write-po.c`` does (strings wrapped at 79 columns, ``#:`` lines
  filled to 79 columns, obsolete messages last), so a catalog that went
  through Poedit, Weblate or ``msgmerge`` and then through ``statementpub
  update`` changes only where its messages change;
  :func:`read_catalog_for_update` reads a catalog strictly, keeping the
  previous msgid of obsolete messages.
- :mod:`.linebreak` — the line-break opportunities of Unicode's line-breaking
  algorithm (UAX #14, as gnulib's ``unilbrk`` implements it) that
  :func:`catalog_bytes` wraps at.

Finding a statement's catalogs, reading them strictly and judging whether a
translation is usable is :mod:`statementpub.catalogs`: the build reads
catalogs too, and needs none of this package.
"""

from __future__ import annotations

from .extract import extract_catalog
from .merge import catalog_path, new_catalog, update_catalog
from .plurals import plural_forms
from .pofile import catalog_bytes, read_catalog_for_update
from .status import LanguageStatus, Problem, catalog_status

__all__ = [
    "LanguageStatus",
    "Problem",
    "catalog_bytes",
    "catalog_path",
    "catalog_status",
    "extract_catalog",
    "new_catalog",
    "plural_forms",
    "read_catalog_for_update",
    "update_catalog",
]
