"""An upload handler that keeps a note file in memory and drops it beyond the size limit.

Django's default handlers spill uploads over 2.5 MB to a temporary file; a case note must never
reach the disk, so the note views use only this handler (see views.check, csrf ordering).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

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
