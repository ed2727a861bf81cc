"""The SdI document type of each kind of document."""

import pytest

from tui_billing.domain.sdi_document_types import sdi_document_type


@pytest.mark.parametrize(
    ("document_type", "kind", "code"),
    [
        ("invoice", "regular", "TD01"),
        ("invoice", "partial", "TD01"),
        ("invoice", "installment", "TD01"),
        ("invoice", "final", "TD01"),
        ("invoice", "down_payment", "TD02"),
        ("credit_note", "regular", "TD04"),
        ("credit_note", "down_payment", "TD04"),
        ("parcella", "regular", "TD06"),
        ("proforma", "regular", None),
        ("proforma", "down_payment", None),
        ("order", "regular", None),
    ],
)
def test_sdi_document_type(document_type, kind, code):
    assert sdi_document_type(document_type, kind) == code
