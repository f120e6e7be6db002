"""The shipped stylesheets (``styles/*.css``) as text, without their comments: what the
HTML renderer inlines and the PDF renderer parses once per process. A small module of
its own, so that a PDF worker reads them without importing the HTML renderer."""

from __future__ import annotations

import re
from functools import lru_cache

from ..resources import styles_dir

__all__ = ["stylesheet"]

_CSS_STRING_OR_COMMENT = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|(/\*.*?\*/)""",
                                    re.S)


def _strip_comments(css: str) -> str:
    """``css`` without its comments (strings are left as they are).

    The editions carry the style sheets without the authors' notes, so that
    nothing in a file but its content, such as a comment's ``only =``, looks
    like an event handler to a search of the file.
    """
    return _CSS_STRING_OR_COMMENT.sub(lambda m: "" if m.group(1) else m.group(0), css)


@lru_cache(maxsize=16)
def _read_style(name: str, mtime_ns: int) -> str:
    return _strip_comments((styles_dir() / name).read_text(encoding="utf-8"))


def stylesheet(*names: str) -> str:
    """The concatenated text of stylesheets in ``styles/``, without comments (cached
    per process)."""
    parts = []
    for name in names:
        path = styles_dir() / name
        if path.is_file():
            parts.append(_read_style(name, path.stat().st_mtime_ns))
    return "\n".join(parts)
