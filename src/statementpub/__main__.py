"""``python -m statementpub``: the same as the ``statementpub`` command."""

from .cli import main

raise SystemExit(main())
