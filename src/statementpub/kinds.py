"""The statement kinds of the format (STATEMENT_FORMAT.md, ``kind``), in the order of
its table. A leaf module, so that the command line can offer them without importing
the model."""

from __future__ import annotations

__all__ = ["KINDS"]

KINDS: tuple[str, ...] = ("statement", "press-release", "joint-statement", "open-letter")
