"""Read the text out of an uploaded note (txt, docx, pdf) in memory; nothing touches the disk.

Errors carry a code the form turns into a field message; they never echo file content.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A case note is a few pages; 200,000 characters (about 60 pages) bounds the work per request.
MAX_TEXT_CHARS = 200_000
# document.xml of a 2 MB docx can be larger than the zip; beyond this it is a zip bomb, not a note.
MAX_DOCX_XML_BYTES = 30 * 1024 * 1024
MAX_PDF_PAGES = 200

EXTENSIONS = (".txt", ".docx", ".pdf")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class ExtractionError(ValueError):
    """The upload cannot be turned into note text; `code` says why."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


def kind_of(name: str) -> str | None:
    """Return "txt", "docx" or "pdf" from a file name, or None for another type."""
    lowered = name.lower()
    for extension in EXTENSIONS:
        if lowered.endswith(extension):
            return extension[1:]
    return None


def extract_text(name: str, data: bytes) -> str:
    """Return the note text of an uploaded file, or raise ExtractionError."""
    kind = kind_of(name)
    if kind is None:
        raise ExtractionError("wrong_type")
    if not data:
        raise ExtractionError("empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ExtractionError("too_large")
    if kind == "txt":
        text = _from_txt(data)
    elif kind == "docx":
        text = _from_docx(data)
    else:
        text = _from_pdf(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ExtractionError("no_text")
    if len(text) > MAX_TEXT_CHARS:
        raise ExtractionError("too_long")
    return text


def _from_txt(data: bytes) -> str:
    if b"\x00" in data:  # UTF-16 or a binary file renamed to .txt
        raise ExtractionError("unreadable")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Notes saved by older Windows editors (Kladblok) are often Windows-1252.
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ExtractionError("unreadable") from exc


def _from_docx(data: bytes) -> str:
    if not data.startswith(b"PK\x03\x04"):
        raise ExtractionError("wrong_type")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_DOCX_XML_BYTES:
                raise ExtractionError("unreadable")
            with archive.open(info) as member:
                xml = member.read(MAX_DOCX_XML_BYTES + 1)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError) as exc:
        raise ExtractionError("unreadable") from exc
    if len(xml) > MAX_DOCX_XML_BYTES or b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise ExtractionError("unreadable")  # no DTDs: they are how XML entity bombs work
    try:
        root = ElementTree.fromstring(xml)  # noqa: S314 -- DOCTYPE/ENTITY refused above
    except ElementTree.ParseError as exc:
        raise ExtractionError("unreadable") from exc
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _from_pdf(data: bytes) -> str:
    if not data.lstrip()[:5] == b"%PDF-":
        raise ExtractionError("wrong_type")
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionError("encrypted")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ExtractionError("too_long")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ExtractionError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ExtractionError("unreadable") from exc
    return "\n\n".join(page.strip() for page in pages)
