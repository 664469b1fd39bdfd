"""An upload handler that keeps a note file in memory and drops it beyond the size limit.

Django's default handlers spill uploads over 2.5 MB to a temporary file; a case note must never
reach the disk, so the note views use only this handler (see views.check, csrf ordering).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from io import BytesIO
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from ketenwijs.web.signals.extract import MAX_UPLOAD_BYTES

TOO_LARGE_ATTR = "signals_upload_too_large"


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Collect each file in a BytesIO; skip a file larger than the limit and flag the request."""

    def __init__(self, request: HttpRequest | None = None, limit: int = MAX_UPLOAD_BYTES) -> None:
        super().__init__(request)
        self.limit = limit
        self.file = BytesIO()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start + len(raw_data) > self.limit:
            if self.request is not None:
                too_large: set[str] = getattr(self.request, TOO_LARGE_ATTR, set())
                too_large.add(self.field_name or "")
                setattr(self.request, TOO_LARGE_ATTR, too_large)
            raise SkipFile  # the parser reads past the rest of this file and keeps the fields
        self.file.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


# Word and PDF files are read in the extraction fence (up to 8 s of CPU each). At most this many
# are read at once per server, so the other workers stay free for everyone else (two accounts
# uploading crafted files without pause once held both workers of a server).
EXTRACTION_SLOTS_PER_SERVER = 1
_SLOT_TIMEOUT = 60  # seconds; longer than the fence's wall clock, so a crashed worker frees it


@contextmanager
def extraction_slot(limit: int = EXTRACTION_SLOTS_PER_SERVER) -> Iterator[bool]:
    """Take one of the server's extraction slots; yields False when all are in use.

    Counted in the shared cache under this host's name (Redis in production, so every worker of
    the server counts together). If the cache is unreachable the slot is granted: the fence still
    bounds each upload.
    """
    key = f"extraction-slots:{socket.gethostname()}"
    try:
        cache.add(key, 0, timeout=_SLOT_TIMEOUT)
        taken = cache.incr(key)
        cache.touch(key, _SLOT_TIMEOUT)
    except Exception:  # the cache is down: fail open, the fence still holds
        yield True
        return
    try:
        yield taken <= limit
    finally:
        # Expired meanwhile (ValueError) or the cache went down: nothing to give back.
        with suppress(Exception):
            cache.decr(key)
