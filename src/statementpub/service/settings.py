"""The limits of the render service, one frozen object (``statementpub serve`` options)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import OptionsError

__all__ = ["ServiceSettings"]


@dataclass(frozen=True, kw_only=True)
class ServiceSettings:
    """How much the render service takes on.

    :ivar max_body: the largest request body, in bytes (5 MiB); larger is 413.
    :ivar max_pending: renders accepted at once (being made or waiting); one more
        is 503 with ``Retry-After``.
    :ivar pdf_workers: worker processes the PDFs are made in.
    :ivar time_limit: seconds a render may take; longer is 422 (the input is too
        large to render in time).
    :ivar retry_after: seconds a client is asked to wait after a 503.
    """

    max_body: int = 5 * 1024 * 1024
    max_pending: int = 16
    pdf_workers: int = 2
    time_limit: float = 60.0
    retry_after: int = 2

    def __post_init__(self) -> None:
        for name in ("max_body", "max_pending", "pdf_workers"):
            if getattr(self, name) < 1:
                raise OptionsError(f"{name} must be at least 1, not {getattr(self, name)}")
        if self.time_limit <= 0:
            raise OptionsError(f"time_limit must be positive, not {self.time_limit}")
