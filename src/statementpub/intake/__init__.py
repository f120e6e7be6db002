"""Intake from the tools coalitions already use: a Word or OpenDocument draft
becomes a statement (:func:`import_draft`, ``statementpub import``), a sign-on
form's export becomes its signatory list (:func:`import_signatories`,
``statementpub signatories import``). Files in, files out: the build layer."""

from .draft import DraftImport, DraftImportError, import_draft
from .signatories import SignatoryImport, import_signatories, parse_column_map

__all__ = ["DraftImport", "DraftImportError", "SignatoryImport", "import_draft",
           "import_signatories", "parse_column_map"]
