"""Word documents (DOCX) as Regie writes them: Dutch (Belgium) proofing and real properties.

Every DOCX that Regie produces starts from ``docx_new`` so that Word checks the spelling in
Dutch and shows the document's own title and author, not python-docx's defaults ("python-docx",
created in 2013).
"""

import io

from django.utils import timezone
from docx import Document as new_document
from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE = "nl-BE"


def docx_new(*, title: str, author: str, subject: str = "") -> Document:
    """An empty document in Calibri 11 with Dutch (Belgium) proofing and its core properties."""
    document = new_document()
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if run_defaults is not None and run_defaults.find(qn("w:rPr")) is not None:
        _set_language(run_defaults.find(qn("w:rPr")))
    _set_language(normal.element.get_or_add_rPr())
    now = timezone.now()
    properties = document.core_properties
    properties.title = title
    properties.subject = subject
    properties.author = author
    properties.last_modified_by = author
    properties.created = now
    properties.modified = now
    properties.language = LANGUAGE
    properties.comments = ""
    properties.revision = 1
    return document


def docx_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_language(run_properties: BaseOxmlElement) -> None:
    """Set ``<w:lang w:val="nl-BE">`` on run properties, keeping the east-Asian and bidi ones."""
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = run_properties.makeelement(qn("w:lang"), {})
        run_properties.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
