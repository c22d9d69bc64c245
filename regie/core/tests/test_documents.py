"""DOCX files as Regie writes them: Dutch (Belgium) proofing and the document's own properties."""

import datetime
import io

from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from regie.core.documents import docx_bytes, docx_new


def reopened(data: bytes):
    return Document(io.BytesIO(data))


def test_a_new_document_is_proofed_in_dutch_of_belgium():
    document = reopened(docx_bytes(docx_new(title="Brief", author="Ilse Regisseur")))

    styles = document.styles.element
    default_lang = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert default_lang.find(qn("w:lang")).get(qn("w:val")) == "nl-BE"
    normal = document.styles["Normal"].element.rPr
    assert normal.find(qn("w:lang")).get(qn("w:val")) == "nl-BE"


def test_a_new_document_carries_its_title_author_and_dates_not_the_librarys():
    before = timezone.now().replace(microsecond=0)

    document = reopened(
        docx_bytes(docx_new(title="Aanvraag tot overheveling", author="Ilse Regisseur"))
    )

    properties = document.core_properties
    assert properties.title == "Aanvraag tot overheveling"
    assert properties.author == "Ilse Regisseur"
    assert properties.last_modified_by == "Ilse Regisseur"
    assert properties.language == "nl-BE"
    assert "python-docx" not in properties.comments
    created = properties.created.replace(tzinfo=datetime.UTC)
    assert before <= created <= timezone.now()
    assert properties.modified.replace(tzinfo=datetime.UTC) == created
