"""Read the text out of an uploaded note (txt, docx, pdf) in memory; nothing touches the disk.

Errors carry a code the form turns into a field message; they never echo file content.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import IO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from ketenwijs.inputs import Fence, FenceError, UndecodableTextError, decode_text, run_fenced

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A case note is a few pages; 200,000 characters (about 60 pages) bounds the work per request.
MAX_TEXT_CHARS = 200_000
# Every limit below is checked while reading, before the work it bounds, so that a small file
# crafted to expand (nested elements, shared PDF content streams) is refused early.
# document.xml of a 2 MB docx can be larger than the zip; beyond this it is a zip bomb, not a note.
MAX_DOCX_XML_BYTES = 20 * 1024 * 1024
# Elements and nesting of document.xml: a 60-page note written in Word has some 25,000 elements
# (runs with their formatting) and a depth of about 20 (tables in tables); 200,000 <w:p> nested
# in each other, or millions side by side, is an attack.
MAX_DOCX_ELEMENTS = 150_000
MAX_DOCX_DEPTH = 100
MAX_PDF_PAGES = 100
# Decoded content streams of all pages together, summed before any page is parsed: 200,000
# characters typeset by Word or WeasyPrint take about 1.5 MB (51 pages). Pages that all point at
# one large stream (a 32 kB attack file) would otherwise make every page parse it again.
MAX_PDF_CONTENT_BYTES = 2 * 1024 * 1024
# XML tokens (a tag with its attributes, a comment, a run of text between tags): expat re-parses
# an unfinished token for every chunk it is fed, so one 19 MB attribute costs quadratic time.
MAX_DOCX_TOKEN_BYTES = 256 * 1024
# The fence around every .docx and .pdf (ketenwijs.inputs.fence): parsers of rich formats have
# costs nobody can list in advance (PDF fonts and form objects, XML tokens). pypdf parses about
# 0.35 MB of content per CPU second, so the largest accepted PDF costs about 4 s; no upload may
# cost more than 8 s of CPU, 400 MB of memory or 20 s. At most one fenced upload runs per server
# at a time (EXTRACTION_SLOTS), so the other workers stay free for everyone else.
EXTRACT_FENCE = Fence(cpu_seconds=8, extra_memory_bytes=400 * 1024 * 1024, wall_seconds=20.0)
# pypdf's own caps, lowered: one decoded stream, and form objects drawn per extraction.
MAX_PDF_STREAM_BYTES = 8 * 1024 * 1024
MAX_PDF_FORM_DRAWS = 100

EXTENSIONS = (".txt", ".docx", ".pdf")
# MAX_DOCX_TOKEN_BYTES without a "<" or ">": a token no Word document has (linear, in C).
_LONG_TOKEN = re.compile(rb"[^<>]{%d}" % MAX_DOCX_TOKEN_BYTES)
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
    else:
        try:
            text = run_fenced(_from_rich, kind, data, fence=EXTRACT_FENCE)
        except FenceError as exc:
            raise ExtractionError("too_complex") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ExtractionError("no_text")
    if len(text) > MAX_TEXT_CHARS:
        raise ExtractionError("too_long")
    return text


def _from_txt(data: bytes) -> str:
    # The same decoding policy as the CLI and the API (ketenwijs.inputs.decode_text).
    try:
        return decode_text(data).text
    except UndecodableTextError as exc:
        raise ExtractionError("unreadable") from exc


def _from_rich(kind: str, data: bytes) -> str:
    """Extract a .docx or .pdf; runs inside the fence (a forked child).

    Any other error of a parser on a crafted file (corrupt deflate or LZMA data, arrays nested
    thousands deep, an unknown filter, an absurd offset) means the same to the user: the file
    cannot be read. Catching broadly is safe here: the child only ever parses this one file.
    """
    try:
        return _from_docx(data) if kind == "docx" else _from_pdf(data)
    except ExtractionError:
        raise
    except MemoryError:
        raise
    except Exception as exc:
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
    if len(xml) > MAX_DOCX_XML_BYTES or _LONG_TOKEN.search(xml):
        raise ExtractionError("unreadable")
    return _docx_text(io.BytesIO(xml))


def _docx_text(xml: IO[bytes]) -> str:
    """Read the paragraphs' text in one streaming pass: linear in the document, bounded in depth,
    elements and characters. defusedxml refuses DTDs and entities in any encoding (they are how
    XML entity bombs work)."""
    paragraphs: list[str] = []
    parts: list[str] = []
    depth = elements = chars = 0
    try:
        for event, node in iterparse(
            xml, events=("start", "end"), forbid_dtd=True, forbid_entities=True
        ):
            if event == "start":
                depth += 1
                elements += 1
                if depth > MAX_DOCX_DEPTH or elements > MAX_DOCX_ELEMENTS:
                    raise ExtractionError("unreadable")
                continue
            depth -= 1
            tag = node.tag
            if tag == f"{_W}t" and node.text:
                parts.append(node.text)
                chars += len(node.text)
                if chars > MAX_TEXT_CHARS:
                    raise ExtractionError("too_long")
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif tag == f"{_W}p":
                paragraphs.append("".join(parts))
                parts = []
            node.clear()  # keep memory flat: the text is already taken out
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise ExtractionError("unreadable") from exc
    if parts:
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _from_pdf(data: bytes) -> str:
    if not data.lstrip()[:5] == b"%PDF-":
        raise ExtractionError("wrong_type")
    from pypdf import apply_configuration  # imported when needed: pypdf is slow to import

    # pypdf's own limits, lowered to what a case note needs: one decoded stream of at most 8 MB
    # (default 75 MB) and at most 100 form objects drawn per extraction (default 5,000).
    with apply_configuration(
        zlib_maximum_output_length=MAX_PDF_STREAM_BYTES,
        xform_maximum_invocations_per_extraction=MAX_PDF_FORM_DRAWS,
    ):
        return _pdf_text(data)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionError("encrypted")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ExtractionError("too_long")
        # Size every page's content first: decoding is cheap, parsing is what costs.
        content_bytes = 0
        for page in reader.pages:
            contents = page.get_contents()
            content_bytes += len(contents.get_data()) if contents is not None else 0
            if content_bytes > MAX_PDF_CONTENT_BYTES:
                raise ExtractionError("too_long")
        pages: list[str] = []
        chars = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            chars += len(text)
            if chars > MAX_TEXT_CHARS:
                raise ExtractionError("too_long")
            pages.append(text)
    except ExtractionError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ExtractionError("unreadable") from exc
    return "\n\n".join(page.strip() for page in pages)
