"""Helpers for Signaleren web tests: notes, uploads built in memory, a signed-in professional."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from xml.sax.saxutils import escape

import pytest
from django.test import Client

from ketenwijs.web.accounts.constants import Role
from ketenwijs.web.accounts.models import Organisation, User

# No personal data (the privacy guard passes it); the core finds two affirmed signals, one negated,
# one hypothetical, and an age under 18 (tests/signals/context_cases.yaml uses the same phrases).
NOTE = (
    "Cliënte is 15 jaar. Een jongen haalt haar op na school. Ze moet haar geld afgeven aan hem.\n"
    "Er zijn geen bedreigingen geweest. Mocht ze weglopen, dan melden we dat meteen."
)
# The same signals without an age, so the minor choice decides.
ADULT_NOTE = "Een jongen haalt haar op na school. Ze moet haar geld afgeven aan hem."
PERSONAL_NOTE = "Jan de Vries moet zijn geld afgeven. Hij woont op de Dorpsstraat 12."


def make_docx(paragraphs: list[str]) -> bytes:
    """Write a minimal Word document (the three parts Word itself needs) in memory."""
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paragraphs
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def make_pdf(paragraphs: list[str]) -> bytes:
    """Render a small PDF with a text layer through WeasyPrint."""
    from weasyprint import HTML

    html = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return HTML(string=f"<html><body>{html}</body></html>").write_pdf()  # type: ignore[no-any-return]


@pytest.fixture
def professional(org_a: Organisation, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.PROFESSIONAL, org_a)


@pytest.fixture
def signed_in(professional: User, client_for: Callable[[User], Client]) -> Client:
    """A verified session of a professional in organisation A."""
    return client_for(professional)
