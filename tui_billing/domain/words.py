"""The fixed words of the product as a person reads them, in the language in use.

Files, JSON and the command line keep the codes of :mod:`tui_billing.domain.vocabulary`
(``quarterly``, ``credit_note``, ``open_item``); what a screen, a table or a message shows is
:func:`word` of the code: ``trimestrale``, ``nota di credito``, ``in scadenzario`` in
Italian. The terms are those of the glossary (``tui_billing/docs/glossary.md``); each is
translated in its context (a status, a frequency...), since one English word may need two
Italian ones.
"""

from __future__ import annotations

from tui_billing.domain.i18n import catalogue, pgettext

# kind -> code -> the English word (the catalogue's message id, in the kind's context)
WORDS: dict[str, dict[str, str]] = {
    "status": {
        "draft": "draft",
        "issued": "issued",
        "open_item": "open item",
        "posted": "posted",
        "active": "active",
        "suspended": "suspended",
        "closed": "closed",
        "in_progress": "in progress",
        "shipped": "shipped",
        "completed": "completed",
        "cancelled": "cancelled",
        "upcoming": "upcoming",
        "waiting": "waiting",
        "pending": "pending",
        "invoiced": "invoiced",
    },
    "frequency": {
        "daily": "daily",
        "weekly": "weekly",
        "monthly": "monthly",
        "bimonthly": "bimonthly",
        "quarterly": "quarterly",
        "fourmonthly": "four-monthly",
        "semiannual": "semiannual",
        "annual": "annual",
    },
    "timing": {"advance": "in advance", "arrears": "in arrears"},
    "document type": {
        "invoice": "invoice",
        "proforma": "pro forma",
        "order": "order",
        "credit_note": "credit note",
    },
    "payment method": {
        "bank_transfer": "bank transfer",
        "sepa_direct_debit": "SEPA direct debit",
        "riba": "Ri.Ba.",
        "cash": "cash",
        "card": "card",
    },
    "article kind": {"service": "service", "goods": "goods"},
    "language": {"it": "Italian", "en": "English"},
    "shareholders": {"SU": "sole shareholder", "SM": "several shareholders"},
    "liquidation": {"LN": "not in liquidation", "LS": "in liquidation"},
    "e-invoice state": {
        "pending": "pending",
        "exporting": "exporting",
        "exported": "exported",
        "delivered": "delivered",
        "not_delivered": "not delivered",
        "rejected": "rejected",
        "accepted": "accepted",
        "refused": "refused",
        "deadline_passed": "deadline passed",
    },
}


def _marked() -> None:  # pragma: no cover - never called: marks the words for extraction
    pgettext("status", "draft")
    pgettext("status", "issued")
    pgettext("status", "open item")
    pgettext("status", "posted")
    pgettext("status", "active")
    pgettext("status", "suspended")
    pgettext("status", "closed")
    pgettext("status", "in progress")
    pgettext("status", "shipped")
    pgettext("status", "completed")
    pgettext("status", "cancelled")
    pgettext("status", "upcoming")
    pgettext("status", "waiting")
    pgettext("status", "pending")
    pgettext("status", "invoiced")
    pgettext("frequency", "daily")
    pgettext("frequency", "weekly")
    pgettext("frequency", "monthly")
    pgettext("frequency", "bimonthly")
    pgettext("frequency", "quarterly")
    pgettext("frequency", "four-monthly")
    pgettext("frequency", "semiannual")
    pgettext("frequency", "annual")
    pgettext("timing", "in advance")
    pgettext("timing", "in arrears")
    pgettext("document type", "invoice")
    pgettext("document type", "pro forma")
    pgettext("document type", "order")
    pgettext("document type", "credit note")
    pgettext("payment method", "bank transfer")
    pgettext("payment method", "SEPA direct debit")
    pgettext("payment method", "Ri.Ba.")
    pgettext("payment method", "cash")
    pgettext("payment method", "card")
    pgettext("article kind", "service")
    pgettext("article kind", "goods")
    pgettext("language", "Italian")
    pgettext("language", "English")
    pgettext("shareholders", "sole shareholder")
    pgettext("shareholders", "several shareholders")
    pgettext("liquidation", "not in liquidation")
    pgettext("liquidation", "in liquidation")
    pgettext("e-invoice state", "pending")
    pgettext("e-invoice state", "exporting")
    pgettext("e-invoice state", "exported")
    pgettext("e-invoice state", "delivered")
    pgettext("e-invoice state", "not delivered")
    pgettext("e-invoice state", "rejected")
    pgettext("e-invoice state", "accepted")
    pgettext("e-invoice state", "refused")
    pgettext("e-invoice state", "deadline passed")


def word(kind: str, code: str | None) -> str:
    """The word for ``code`` of ``kind`` (a key of :data:`WORDS`: "status", "frequency",
    "e-invoice state"...) in the language in use; a code the product does not know is shown
    as it is."""
    if not code:
        return ""
    english = WORDS.get(kind, {}).get(code)
    return pgettext(kind, english) if english else code


def code_for(kind: str, text: str) -> str | None:
    """The code a person typed as a word of ``kind`` (in either language) or as the code
    itself; None when it is none of them."""
    wanted = text.strip().casefold()
    italian = catalogue("it")
    for code, english in WORDS.get(kind, {}).items():
        spelled = (english, pgettext(kind, english), italian.pgettext(kind, english))
        if wanted == code.casefold() or wanted in (word.casefold() for word in spelled):
            return code
    return None


__all__ = ["WORDS", "code_for", "word"]
