"""Editions: a statement in one language, as a finished document tree.

:func:`make_edition` judges each unit's translation once
(:func:`statementpub.catalogs.judge`) and builds the tree; renderers only walk
it (:mod:`statementpub.edition.nodes`).
"""

from .edition import (
    ContactPart,
    Edition,
    Fallback,
    InterfaceFallback,
    LinkPart,
    LogoPart,
    PublisherPart,
    SignatoryPart,
)
from .labels import Labels
from .make import make_edition
from .nodes import Text

__all__ = ["ContactPart", "Edition", "Fallback", "InterfaceFallback", "Labels", "LinkPart",
           "LogoPart", "PublisherPart", "SignatoryPart", "Text", "make_edition"]
