"""One decoding policy for text from files, uploads and stdin.

Notes come from Word, Kladblok, mail clients and exports: UTF-8 (with or without a byte order
mark), UTF-16 (often without one when exported), and Windows-1252. The same bytes must give the
same text on the web, in the API and in the CLI; bytes that are no text are refused, never read
as an empty note (a UTF-16 note read as UTF-8 would scan as "no signals").
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

# Byte order marks, longest first: UTF-32's LE mark begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Share of control characters (other than tab, newline, carriage return, form feed) above which
# the "text" is a binary file: a note has none.
_MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")


class UndecodableTextError(ValueError):
    """The bytes are not text in a supported encoding; `reason` is `binary` or `encoding`."""

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(detail)


@dataclass(frozen=True)
class DecodedText:
    """Text and the encoding it was read in (for messages; the text is what matters)."""

    text: str
    encoding: str


def _utf16_without_bom(data: bytes) -> str | None:
    """Recognise UTF-16 without a byte order mark by its zero bytes (Latin text: every other)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_zeros > 0.3 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if even_zeros > 0.3 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    return None


def _check_is_text(text: str, encoding: str) -> DecodedText:
    if text:
        controls = sum(
            1
            for char in text[:100_000]
            if char not in _ALLOWED_CONTROLS and unicodedata.category(char) == "Cc"
        )
        if controls > _MAX_CONTROL_SHARE * min(len(text), 100_000):
            raise UndecodableTextError("binary", "this is not a text file (it holds control bytes)")
    return DecodedText(text, encoding)


def decode_text(data: bytes) -> DecodedText:
    """Decode a text file: byte order mark, else UTF-16 by its zero bytes, else UTF-8, else
    Windows-1252; raise UndecodableTextError for binary data or bytes no encoding here reads."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_is_text(data[len(bom) :].decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise UndecodableTextError(
                    "encoding", f"invalid {encoding.upper()} at byte {exc.start + len(bom)}"
                ) from exc
    if b"\x00" in data:
        encoding16 = _utf16_without_bom(data)
        if encoding16 is None:
            raise UndecodableTextError("binary", "this is not a text file (it holds zero bytes)")
        try:
            return _check_is_text(data.decode(encoding16), encoding16)
        except UnicodeDecodeError as exc:
            raise UndecodableTextError("encoding", f"invalid UTF-16 at byte {exc.start}") from exc
    try:
        return _check_is_text(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Notes saved by older Windows editors (Kladblok) are often Windows-1252.
        return _check_is_text(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError as exc:
        raise UndecodableTextError(
            "encoding", f"not UTF-8, UTF-16 or Windows-1252 text (byte {exc.start})"
        ) from exc
