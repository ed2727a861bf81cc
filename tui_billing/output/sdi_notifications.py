"""Read an SdI notification (MessaggiTypes v1.x) into a plain record.

The Sistema di Interscambio answers each e-invoice file with XML messages: RC delivered
(RicevutaConsegna), MC not delivered (NotificaMancataConsegna), NS rejected with its list of
errors (NotificaScarto), NE the public administration's outcome EC01 accepted / EC02 refused
(NotificaEsito), DT no outcome within 15 days (NotificaDecorrenzaTermini), AT transmitted but
not deliverable (AttestazioneTrasmissioneFattura). The file is untrusted input: it is parsed
without network, DTD or entity expansion, and one with a DOCTYPE is refused outright.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _

KINDS = {
    "RicevutaConsegna": "RC",
    "NotificaMancataConsegna": "MC",
    "NotificaScarto": "NS",
    "NotificaEsito": "NE",
    "NotificaDecorrenzaTermini": "DT",
    "AttestazioneTrasmissioneFattura": "AT",
}
ACCEPTED = "EC01"  # EsitoCommittente: the public administration accepts the invoice
REFUSED = "EC02"  # EsitoCommittente: it refuses it


@dataclass(frozen=True, slots=True)
class SdiError:
    """One error of a rejection (NS): the SdI check's code and description."""

    code: str  # Codice: 00423
    description: str  # Descrizione
    hint: str | None = None  # Suggerimento (v1.1)


@dataclass(frozen=True, slots=True)
class SdiNotification:
    """What one SdI notification says about one e-invoice file."""

    kind: str  # RC, MC, NS, NE, DT or AT
    file_name: str  # NomeFile: the e-invoice file it is about
    sdi_id: str | None  # IdentificativoSdI
    date: datetime | None  # DataOraConsegna (RC), else DataOraRicezione when given
    errors: tuple[SdiError, ...] = ()  # ListaErrori (NS)
    outcome: str | None = None  # Esito (NE): EC01 accepted, EC02 refused
    description: str | None = None  # Descrizione (MC, DT, NE) or Note
    message_id: str | None = None  # MessageId


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
    )


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(parent: etree._Element, name: str) -> str | None:
    """The text of ``parent``'s first child named ``name`` in any namespace (or none)."""
    for child in parent:
        if _local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def _find(parent: etree._Element, name: str) -> etree._Element | None:
    for element in parent.iter():
        if _local(element.tag) == name:
            return element
    return None


def _datetime(text: str | None, field: str, source: str) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise UserError(
            _("{field} {text} is not a date and time").format(field=field, text=repr(text)), source
        ) from None


def read_sdi_notification(data: bytes, source: str) -> SdiNotification:
    """The notification in ``data``; ``source`` (its file name) names it in errors.
    Raises UserError for what is not XML, not an SdI notification, or lacks NomeFile."""
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as error:
        raise UserError(_("not XML: {reason}").format(reason=error.msg), source) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UserError(_("has a DOCTYPE, which SdI notifications never have"), source)
    root = tree.getroot()
    name = _local(root.tag)
    kind = KINDS.get(name)
    if kind is None:
        raise UserError(
            _("not an SdI notification (root element {name})").format(name=name or "?"), source
        )
    file_name = _child_text(root, "NomeFile")
    if file_name is None:
        raise UserError(_("{element} without NomeFile").format(element=name), source)

    moment_field = "DataOraConsegna" if kind == "RC" else "DataOraRicezione"
    moment = _child_text(root, moment_field)
    errors: list[SdiError] = []
    if kind == "NS":
        lista = _find(root, "ListaErrori")
        for errore in lista if lista is not None else ():
            if _local(errore.tag) != "Errore":
                continue
            errors.append(
                SdiError(
                    _child_text(errore, "Codice") or "?",
                    _child_text(errore, "Descrizione") or "",
                    _child_text(errore, "Suggerimento"),
                )
            )
    outcome = None
    description = _child_text(root, "Descrizione")
    if kind == "NE":
        esito = _find(root, "EsitoCommittente")
        holder = esito if esito is not None else root
        outcome = _child_text(holder, "Esito")
        if outcome not in (ACCEPTED, REFUSED):
            raise UserError(
                _("NotificaEsito with Esito {outcome} (EC01 or EC02)").format(
                    outcome=repr(outcome)
                ),
                source,
            )
        description = _child_text(holder, "Descrizione") or description
    return SdiNotification(
        kind=kind,
        file_name=file_name,
        sdi_id=_child_text(root, "IdentificativoSdI"),
        date=_datetime(moment, moment_field, source),
        errors=tuple(errors),
        outcome=outcome,
        description=description or _child_text(root, "Note"),
        message_id=_child_text(root, "MessageId"),
    )


__all__ = ["ACCEPTED", "KINDS", "REFUSED", "SdiError", "SdiNotification", "read_sdi_notification"]
