"""The :class:`Edition`: one statement in one language, as a finished document."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..findings import Coverage, Fallback
from ..model import Statement
from .labels import InterfaceFallback, Labels
from .nodes import Block, Note, Para, Text

__all__ = ["ContactPart", "Edition", "Fallback", "InterfaceFallback", "LinkPart", "LogoPart",
           "PublisherPart", "SignatoryPart"]


@dataclass(frozen=True, slots=True)
class LinkPart:
    """One of the statement's prominent links: its label and URL."""

    label: Text
    url: str


@dataclass(frozen=True, slots=True)
class LogoPart:
    path: Path
    alt: Text


@dataclass(frozen=True, slots=True)
class PublisherPart:
    name: Text
    url: str | None
    logo: LogoPart | None


@dataclass(frozen=True, slots=True)
class SignatoryPart:
    """A signatory: ``name`` in the signatory's own language (never translated),
    ``country`` named in the edition's language (CLDR), ``note`` translated."""

    name: Text
    url: str | None
    country: Text | None
    note: Para | None
    line: int = 0


@dataclass(frozen=True, slots=True)
class ContactPart:
    """The press contact (never translated: the name is in the source language)."""

    name: Text | None
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class Edition:
    """A statement in one language: every node with its final text and language.

    Make one with :func:`~statementpub.edition.make_edition`. ``statement`` is
    the source (for its slug, date, images and metadata); ``lang`` the edition's
    BCP 47 tag and ``dir`` its direction (``"ltr"`` or ``"rtl"``); ``labels``
    the interface strings, resolved; ``fallbacks`` the units shown in the
    source language, with the reason; ``interface_fallbacks`` the interface
    texts shown in another language, with the reason; the other fields are the document's
    parts in reading order: masthead (``publisher``), header (``title``,
    ``subtitle``, ``labels.kind``, ``labels.date``), ``summary`` (the lede),
    ``links``, ``body``, ``notes``, ``signatories``, colophon (``contact``,
    ``statement.license``).
    """

    statement: Statement
    lang: str
    dir: str
    labels: Labels
    title: Text
    subtitle: Para | None
    summary: tuple[Para, ...]
    links: tuple[LinkPart, ...]
    publisher: PublisherPart | None
    body: tuple[Block, ...]
    notes: tuple[Note, ...]
    signatories: tuple[SignatoryPart, ...]
    contact: ContactPart | None
    description: Text
    fallbacks: tuple[Fallback, ...] = ()
    catalog_path: Path | None = None
    #: the SHA-256 (hex) of exactly the catalog bytes this edition was made from, when
    #: it was read from ``catalog_path``
    catalog_sha256: str | None = None
    #: interface texts (labels, the date, country names) shown in another language
    #: than ``lang``, each marked with it: statementpub or CLDR has nothing for ``lang``
    interface_fallbacks: tuple[InterfaceFallback, ...] = ()
    #: how much of the statement the catalog translates usably, in words and units
    #: (``None`` for the source language, which needs no catalog)
    coverage: Coverage | None = None

    @property
    def source_lang(self) -> str:
        """The statement's source language."""
        return self.statement.lang

    @property
    def has_images(self) -> bool:
        """Whether the edition shows any image (the logo included)."""
        return bool(self.statement.body.images) or (
            self.publisher is not None and self.publisher.logo is not None)
