"""Every interface string an edition shows, resolved once when the edition is made.

Each value is a :class:`~statementpub.edition.nodes.Text` that knows its
language: a string missing from the language's interface catalog comes back in
the fallback language, marked with it, so the renderers mark it (WCAG 2.2
SC 3.1.2). Renderers read :attr:`Edition.labels`; they never call gettext.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from dataclasses import dataclass

from ..findings import InterfaceFallback
from ..i18n import Interface, UiText
from .nodes import Text

__all__ = ["InterfaceFallback", "Labels", "make_labels"]


@dataclass(frozen=True)
class Labels:
    skip_link: Text
    kind: Text
    published: Text
    date: Text
    signatories: Text
    signatory_count: Text
    editions: Text
    links: Text
    notes: Text
    back_to_reference: Text  # contains %(number)s
    contact: Text
    email: Text
    phone: Text
    license: Text
    publisher: Text
    contents: Text
    title_page: Text
    page_template: Text  # contains %(page)s and %(pages)s
    accessibility_summary: Text
    #: the labels shown in another language than the edition's, and why
    fallbacks: tuple[InterfaceFallback, ...] = ()


def make_labels(ui: Interface, *, kind: str, date: _dt.date, signatories: int) -> Labels:
    """The interface strings of an edition whose interface is ``ui``."""
    kinds = {
        "statement": ui.pgettext("kind", "Statement"),
        "press-release": ui.pgettext("kind", "Press release"),
        "joint-statement": ui.pgettext("kind", "Joint statement"),
        "open-letter": ui.pgettext("kind", "Open letter"),
    }
    shown_date = ui.date(date)
    fallbacks: list[InterfaceFallback] = []

    def t(text: UiText, what: str = "") -> Text:
        if text.reason is not None:
            fallbacks.append(InterfaceFallback(what or f"the label {text.value!r}",
                                               text.lang, text.reason))
        return Text(text.value, text.lang)

    labels = Labels(
        skip_link=t(ui.gettext("Skip to the statement")),
        kind=t(kinds[kind]),
        published=t(ui.gettext("Published on %(date)s", date=shown_date.value)),
        date=t(shown_date, "the date"),
        signatories=t(ui.gettext("Signatories")),
        # Translators: the number of organisations and people who signed.
        signatory_count=t(ui.ngettext("%(n)d signatory", "%(n)d signatories",
                                      signatories)),
        editions=t(ui.gettext("Other languages")),
        links=t(ui.gettext("Related links")),
        notes=t(ui.gettext("Notes")),
        back_to_reference=t(ui.gettext("Back to reference %(number)s")),
        contact=t(ui.gettext("Press contact")),
        email=t(ui.gettext("Email")),
        phone=t(ui.gettext("Phone")),
        license=t(ui.gettext("Licence")),
        publisher=t(ui.gettext("Published by")),
        contents=t(ui.gettext("Contents")),
        # Translators: the EPUB landmark of the title page.
        title_page=t(ui.gettext("Title page")),
        # Translators: running page number of the PDF edition; keep both placeholders.
        page_template=t(ui.gettext("Page %(page)s of %(pages)s")),
        accessibility_summary=t(ui.gettext(
            "This publication meets the EPUB Accessibility 1.1 and WCAG 2.2 Level AA "
            "requirements. Its text can be read aloud and resized; it has a table of "
            "contents, headings in logical order and text alternatives for any images, "
            "and every passage in another language is marked with that language.")),
        fallbacks=(),
    )
    if not fallbacks:
        return labels
    return dataclasses.replace(labels, fallbacks=tuple(fallbacks))
