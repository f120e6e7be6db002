"""``python -m statementpub.extract_ui``: regenerate ``locales/statementpub.pot``.

A module of its own (the package never imports it), so that running it does not
execute a module the package has already imported.
"""

from __future__ import annotations

import sys

from .i18n import DOMAIN, extract_ui
from .resources import locales_dir


def main(argv: list[str] | None = None) -> int:
    """Write the interface template from the code and templates; returns 0."""
    if argv:
        print("usage: python -m statementpub.extract_ui", file=sys.stderr)
        return 2
    target = locales_dir() / f"{DOMAIN}.pot"
    extract_ui(target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
