"""Renderers: an :class:`~statementpub.edition.Edition` in, HTML, PDF or EPUB out."""
