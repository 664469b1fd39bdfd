"""Uploads that are built to cost: refused before the work, within a CPU budget (issue #17).

Each attack file is tiny; the budget is relative to extracting an ordinary note of the same kind
in the same run (CPU time: a busy machine does not change the ratio).
"""

from __future__ import annotations

import io
import time
import zipfile
import zlib
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ketenwijs.web.signals.extract import ExtractionError, extract_text
from tests.adversarial import cpu_seconds
from tests.web.signals.conftest import NOTE

URL = "/signals/"
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# An attack may cost this many times an ordinary 60-page note; parsing it in full would cost
# hundreds to thousands of times more.
BUDGET = 10


def _docx(xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def _shared_stream_pdf(pages: int, stream_bytes: int) -> bytes:
    """`pages` pages that all show the same content stream of empty text operations."""
    operation = b"BT /F1 1 Tf () Tj ET\n"
    data = zlib.compress(operation * (stream_bytes // len(operation)))
    font = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages)).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data),
        *[b"<< /Type /Page /Parent 2 0 R /Resources %s /Contents 3 0 R >>" % font] * pages,
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _word_paragraph(text: str) -> str:
    """A paragraph as Word writes it: paragraph and run properties around every run."""
    run_properties = (
        '<w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/><w:sz w:val="22"/>'
        '<w:szCs w:val="22"/><w:lang w:val="nl-NL"/></w:rPr>'
    )
    runs = "".join(
        f'<w:r>{run_properties}<w:t xml:space="preserve">{part} </w:t></w:r>'
        for part in text.split(". ")
    )
    return f'<w:p><w:pPr><w:spacing w:after="160"/></w:pPr>{runs}</w:p>'


@pytest.fixture(scope="module")
def ordinary_docx_cpu() -> float:
    """CPU seconds to extract a 60-page note written in Word (about 200,000 characters)."""
    sentences = NOTE.replace("\n", " ")
    body = "".join(_word_paragraph(sentences) for _ in range(200_000 // len(sentences)))
    note = _docx(f"<w:document {_W}><w:body>{body}</w:body></w:document>".encode())
    return min(cpu_seconds(lambda: extract_text("n.docx", note)) for _ in range(3))


def _refused(name: str, data: bytes) -> tuple[str, float]:
    """The refusal code and the CPU seconds it took to refuse."""
    codes: list[str] = []

    def run() -> None:
        with pytest.raises(ExtractionError) as caught:
            extract_text(name, data)
        codes.append(caught.value.code)

    seconds = cpu_seconds(run)
    return codes[0], seconds


@pytest.mark.parametrize(
    ("label", "xml"),
    [
        # 200,000 paragraphs nested in each other in 3.6 kB took quadratic time before.
        ("nested", b"<w:document " + _W.encode() + b"><w:body>" + b"<w:p>" * 200_000),
        # Millions of empty paragraphs: refused after the element limit, not after all of them.
        ("siblings", b"<w:document " + _W.encode() + b"><w:body>" + b"<w:p/>" * 3_000_000),
    ],
)
def test_expanding_docx_is_refused_within_budget(
    label: str, xml: bytes, ordinary_docx_cpu: float
) -> None:
    data = _docx(xml + b"</w:body></w:document>")
    assert len(data) < 50_000
    code, seconds = _refused("attack.docx", data)
    assert code == "unreadable"
    assert seconds <= BUDGET * max(ordinary_docx_cpu, 0.05), (label, seconds, ordinary_docx_cpu)


def test_utf16_document_with_entities_is_refused() -> None:
    # A check for the bytes b"<!DOCTYPE" misses UTF-16; defusedxml refuses DTDs in any encoding.
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
        f"<w:document {_W}><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"
    ).encode("utf-16")
    code, _ = _refused("entities.docx", _docx(xml))
    assert code == "unreadable"


def test_pdf_pages_sharing_one_large_stream_are_refused_before_parsing(
    ordinary_docx_cpu: float,
) -> None:
    data = _shared_stream_pdf(pages=90, stream_bytes=200_000)
    assert len(data) < 40_000
    code, seconds = _refused("attack.pdf", data)
    assert code == "too_long"
    assert seconds <= BUDGET * max(ordinary_docx_cpu, 0.05)


def test_more_pages_than_a_note_has_are_refused_by_count() -> None:
    code, _ = _refused("long.pdf", _shared_stream_pdf(pages=150, stream_bytes=1_000))
    assert code == "too_long"


class _Pdf:
    """A minimal PDF writer for crafted files (objects numbered from 1)."""

    def __init__(self) -> None:
        self.objects: list[bytes] = []

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    @staticmethod
    def stream(data: bytes, extra: bytes = b"") -> bytes:
        packed = zlib.compress(data, 9)
        return b"<</Length %d/Filter/FlateDecode%s>>stream\n%s\nendstream" % (
            len(packed),
            extra,
            packed,
        )

    def build(self, page_resources: bytes, content: bytes) -> bytes:
        contents = self.add(self.stream(content))
        pages = len(self.objects) + 2
        page = self.add(
            b"<</Type/Page/Parent %d 0 R/Resources %s/Contents %d 0 R>>"
            % (pages, page_resources, contents)
        )
        assert self.add(b"<</Type/Pages/Kids[%d 0 R]/Count 1>>" % page) == pages
        root = self.add(b"<</Type/Catalog/Pages %d 0 R>>" % pages)
        out = bytearray(b"%PDF-1.7\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<</Size %d/Root %d 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
            len(self.objects) + 1,
            root,
            xref,
        )
        return bytes(out)


_FONT = b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"


def _form_object_pdf(draws: int, form_bytes: int) -> bytes:
    """One page that draws the same form object `draws` times (the review: 6.8 kB, 37 s)."""
    pdf = _Pdf()
    font = pdf.add(_FONT)
    form = pdf.add(
        _Pdf.stream(
            b"() Tj\n" * (form_bytes // 6),
            b"/Type/XObject/Subtype/Form/BBox[0 0 1 1]/Resources<</Font<</F1 %d 0 R>>>>" % font,
        )
    )
    resources = b"<</Font<</F1 %d 0 R>>/XObject<</X %d 0 R>>>>" % (font, form)
    return pdf.build(resources, b"BT /F1 12 Tf (Casusnotitie) Tj ET\n" + b"/X Do\n" * draws)


def _many_fonts_pdf(fonts: int) -> bytes:
    """One page whose resources name thousands of fonts with a character map (the review: 17 s)."""
    pdf = _Pdf()
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
        b"1 begincodespacerange <00> <FF> endcodespacerange\n100 beginbfchar\n"
        + b"".join(b"<%02X> <%04X>\n" % (i, i + 65) for i in range(100))
        + b"endbfchar\n"
    ) * 10 + b"endcmap CMapName currentdict /CMap defineresource pop end end"
    to_unicode = pdf.add(_Pdf.stream(cmap))
    font = pdf.add(b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/ToUnicode %d 0 R>>" % to_unicode)
    names = b"".join(b"/F%d %d 0 R" % (i, font) for i in range(fonts))
    return pdf.build(b"<</Font<<" + names + b">>>>", b"BT /F1 12 Tf (a) Tj ET\n")


@pytest.fixture
def small_fence(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real fence allows 6 s of CPU; 1 s shows the same stop without slowing the suite."""
    from ketenwijs.inputs import Fence
    from ketenwijs.web.signals import extract

    monkeypatch.setattr(extract, "EXTRACT_FENCE", Fence(cpu_seconds=1, wall_seconds=5))


@pytest.mark.parametrize(
    "build",
    [lambda: _form_object_pdf(5000, 20_000), lambda: _many_fonts_pdf(3000)],
    ids=["form objects", "fonts"],
)
def test_pdfs_that_cost_what_no_check_foresees_are_stopped_by_the_fence(
    build: Callable[[], bytes], small_fence: None
) -> None:
    data = build()
    assert len(data) < 50_000
    started = time.monotonic()
    with pytest.raises(ExtractionError) as caught:
        extract_text("attack.pdf", data)
    assert caught.value.code == "too_complex"
    assert time.monotonic() - started < 6  # the fence: 1 s of CPU here, 6 s in production


@pytest.mark.parametrize("token", [b'<w:p w:x="%s"/>', b"<!--%s-->", b"<w:p>%s</w:p>"])
def test_docx_with_one_huge_xml_token_is_refused_before_parsing(token: bytes) -> None:
    # expat re-parses an unfinished token for every chunk: one 19 MB attribute took 11 s.
    xml = b"<w:document " + _W.encode() + b"><w:body>" + token % (b"a" * 19_000_000)
    data = _docx(xml + b"</w:body></w:document>")
    code, seconds = _refused("token.docx", data)
    assert code == "unreadable"
    assert seconds < 1


def test_an_ordinary_pdf_is_read_within_the_real_fence() -> None:
    from tests.web.signals.conftest import make_pdf

    assert extract_text("notitie.pdf", make_pdf([NOTE] * 20)).startswith(NOTE.split()[0])


def test_a_second_file_in_one_request_gets_the_service_error_page(signed_in: Client) -> None:
    files = {
        "file": SimpleUploadedFile("a.txt", NOTE.encode()),
        "other": SimpleUploadedFile("b.txt", NOTE.encode()),
    }
    response = signed_in.post(URL, {"minor": "text", **files})
    assert response.status_code == 400
    assert "Het verzoek kon niet worden gelezen" in response.content.decode()


def test_a_body_above_the_request_budget_is_refused_unread(signed_in: Client) -> None:
    big = SimpleUploadedFile("groot.txt", b"a" * (5 * 1024 * 1024))
    response = signed_in.post(URL, {"minor": "text", "file": big})
    assert response.status_code == 413
    assert "Te veel tegelijk verstuurd" in response.content.decode()


def test_while_another_file_is_read_an_upload_waits_its_turn(signed_in: Client) -> None:
    # Two accounts uploading crafted files without pause once held both workers of a server:
    # one fenced extraction at a time per server; the next one is asked to retry.
    from ketenwijs.web.signals.uploads import extraction_slot
    from tests.web.signals.conftest import make_docx

    upload = {"minor": "text", "file": SimpleUploadedFile("n.docx", make_docx([NOTE]))}
    with extraction_slot() as free:
        assert free
        busy = signed_in.post(URL, upload)
    assert busy.status_code == 503
    assert busy["Retry-After"] == "15"
    pasted = signed_in.post(URL, {"minor": "text", "text": NOTE})
    assert pasted.status_code == 200  # pasted text needs no slot
    upload["file"] = SimpleUploadedFile("n.docx", make_docx([NOTE]))
    assert signed_in.post(URL, upload).status_code == 200  # the slot is free again
