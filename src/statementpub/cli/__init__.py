"""The ``statementpub`` command: a thin layer over the API.

Exit status: 0 success, 1 input or build errors (printed as
``path:line: error: message``), 2 usage errors (argparse), 130 interrupted
(Ctrl-C), 143 stopped by SIGTERM.
Only the library's errors (:class:`~statementpub.errors.StatementpubError`)
are caught. Where each part is: :mod:`.parser` (the arguments, with the
defaults of :data:`statementpub.options.DEFAULT_OPTIONS`), :mod:`.build_output`
(``build``: progress line, notes, summary table), :mod:`.commands` (``extract``,
``update``, ``status``, ``check``, ``import``, ``signatories import``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from ..errors import StatementpubError
from .parser import build_options, make_parser
from .service_commands import COMMANDS, run_command

__all__ = ["main"]


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the command line on ``argv`` (default: ``sys.argv[1:]``), printing to
    ``stdout`` and ``stderr`` (default: the process's); returns the exit status.

    :raises SystemExit: a usage error (status 2), ``--help`` or ``--version`` (0).
    """
    args = make_parser().parse_args(argv)
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    if args.command == "build":
        from .build_output import run_build

        return run_build(args.sources, options=build_options(args), stream=err,
                         json_stream=out if args.json else None)
    # each command's module is imported when it runs: a build imports no translator tool
    from . import commands

    try:
        if args.command in COMMANDS:
            return run_command(args, out, err)
        if args.command == "check":
            return commands.check_command(args, out)
        if args.command == "extract":
            return commands.extract_command(args, out, err)
        if args.command == "update":
            return commands.update_command(args, err)
        if args.command == "import":
            return commands.import_command(args, err)
        if args.command == "signatories":
            return commands.signatories_import_command(args, err)
        return commands.status_command(args, out, err)
    except StatementpubError as exc:
        for line in exc.lines():
            print(line, file=err)
        return 1
