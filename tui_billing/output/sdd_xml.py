"""The SEPA direct debit file (pain.008.001.02) for the creditor's bank, built with sepaxml.

sepaxml builds the document and groups the debits into one PmtInf block per sequence type
and collection date, with their counts and control sums. This module fixes what sepaxml
leaves random (message id, creation time, block ids), checks the totals again, and
validates the result with lxml against the pain.008.001.02 XSD that sepaxml ships: bytes
come back only from a valid file.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from importlib import resources

from lxml import etree
from sepaxml import SepaDD

from tui_billing.domain.errors import UserError
from tui_billing.domain.sepa import Collection, Creditor, check_sepa_identifier, sepa_text
from tui_billing.domain.target_calendar import check_collection_date

SCHEMA = "pain.008.001.02"
NAMESPACE = f"urn:iso:std:iso:20022:tech:xsd:{SCHEMA}"
_NS = {"p": NAMESPACE}
_per_thread = threading.local()


def sdd_schema() -> etree.XMLSchema:
    """The pain.008.001.02 XSD shipped in the sepaxml package, compiled once per thread."""
    schema = getattr(_per_thread, "schema", None)
    if schema is None:
        path = resources.files("sepaxml") / "schemas" / f"{SCHEMA}.xsd"
        parser = etree.XMLParser(no_network=True, load_dtd=False)
        schema = _per_thread.schema = etree.XMLSchema(etree.parse(str(path), parser))
    return schema


def new_message_id(created_at: datetime) -> str:
    """A message id unique per file: the creation time and 12 random hex digits (27 chars)."""
    return f"{created_at:%Y%m%d%H%M%S}-{uuid.uuid4().hex[:12].upper()}"


def write_sdd(creditor: Creditor, collections: Sequence[Collection], *, message_id: str,
              created_at: datetime, presented_on: date, bank_days: int = 0) -> bytes:
    """The pain.008.001.02 file of ``collections``, all of one scheme (CORE or B2B), as
    UTF-8 bytes, validated against the XSD. Raises ``UserError`` naming the collection and
    field at fault (a due date earlier than the lead time from ``presented_on`` allows, two
    schemes in one file, a FRST with another debit of its mandate); nothing is returned then.
    """
    check_sepa_identifier(message_id, "message_id")
    if not collections:
        raise UserError("there is nothing to collect", "collections")
    scheme = _one_scheme(collections)
    _check_sequences(collections)
    for index, collection in enumerate(collections):
        check_collection_date(collection.due_date, presented_on, scheme, bank_days,
                              f"collections[{index}].due_date")
    ordered = sorted(collections, key=lambda c: (c.sequence_type, c.due_date))
    document = SepaDD({"name": sepa_text(creditor.name, 70), "IBAN": creditor.iban,
                       "BIC": creditor.bic, "batch": True, "creditor_id": creditor.creditor_id,
                       "currency": "EUR", "instrument": scheme}, schema=SCHEMA, clean=False)
    for collection in ordered:
        document.add_payment(_payment(collection))
    root = etree.fromstring(document.export(validate=False))
    _stamp(root, message_id, created_at)
    _check_totals(root, collections)
    schema = sdd_schema()
    if not schema.validate(root):
        errors = "; ".join(f"line {e.line}: {e.message}" for e in list(schema.error_log)[:3])
        raise UserError(f"the direct debit file is not valid against {SCHEMA}: {errors}",
                        "collections")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _one_scheme(collections: Sequence[Collection]) -> str:
    first = collections[0].mandate.scheme
    for index, collection in enumerate(collections):
        if collection.mandate.scheme != first:
            raise UserError(f"a file holds one scheme: {first} and {collection.mandate.scheme}"
                            " go to separate files", f"collections[{index}].mandate.scheme")
    return first


def _check_sequences(collections: Sequence[Collection]) -> None:
    """A first debit must settle before the next of its mandate goes out (FRST, then RCUR)."""
    per_mandate = Counter(c.mandate.reference for c in collections)
    for index, collection in enumerate(collections):
        if collection.sequence_type == "FRST" and per_mandate[collection.mandate.reference] > 1:
            raise UserError(f"mandate '{collection.mandate.reference}' has a FRST debit and "
                            "another in the same file", f"collections[{index}].sequence_type")


def _payment(collection: Collection) -> dict[str, object]:
    mandate = collection.mandate
    payment: dict[str, object] = {
        "name": sepa_text(mandate.debtor_name, 70),
        "IBAN": mandate.debtor_iban,
        "amount": int(collection.amount * 100),
        "type": collection.sequence_type,
        "collection_date": collection.due_date,
        "mandate_id": mandate.reference,
        "mandate_date": mandate.signed_on,
        "description": collection.remittance or collection.invoice_number,
        "endtoend_id": collection.invoice_number,
    }
    if mandate.debtor_bic:
        payment["BIC"] = mandate.debtor_bic
    return payment


def _stamp(root: etree._Element, message_id: str, created_at: datetime) -> None:
    """Our message id and creation time, and block ids derived from the message id."""
    header = root.find("p:CstmrDrctDbtInitn/p:GrpHdr", _NS)
    header.find("p:MsgId", _NS).text = message_id
    header.find("p:CreDtTm", _NS).text = created_at.strftime("%Y-%m-%dT%H:%M:%S")
    for number, block in enumerate(root.iterfind("p:CstmrDrctDbtInitn/p:PmtInf", _NS), 1):
        block.find("p:PmtInfId", _NS).text = f"{message_id[:31]}-{number:03d}"


def _check_totals(root: etree._Element, collections: Sequence[Collection]) -> None:
    """The counts and control sums must add up to the collections given, block by block."""
    total = sum((c.amount for c in collections), Decimal(0))
    header = root.find("p:CstmrDrctDbtInitn/p:GrpHdr", _NS)
    blocks = root.findall("p:CstmrDrctDbtInitn/p:PmtInf", _NS)
    block_sum = Decimal(0)
    for block in blocks:
        amounts = [Decimal(a.text) for a in block.iterfind("p:DrctDbtTxInf/p:InstdAmt", _NS)]
        if (int(block.findtext("p:NbOfTxs", namespaces=_NS)) != len(amounts)
                or Decimal(block.findtext("p:CtrlSum", namespaces=_NS)) != sum(amounts)):
            raise UserError("a payment block's count or control sum does not add up",
                            "collections")
        block_sum += sum(amounts, Decimal(0))
    if (int(header.findtext("p:NbOfTxs", namespaces=_NS)) != len(collections)
            or Decimal(header.findtext("p:CtrlSum", namespaces=_NS)) != total
            or block_sum != total):
        raise UserError("the file's count or control sum does not add up", "collections")
