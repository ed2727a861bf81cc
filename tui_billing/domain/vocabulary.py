"""The fixed words of the product: statuses, alignments, timings, document types."""

CONTRACT_STATUSES = ("draft", "active", "suspended", "closed")
ORDER_STATUSES = ("draft", "in_progress", "shipped", "completed", "cancelled")
ALIGNMENTS = ("start", "month_end", "calendar")
TIMINGS = ("advance", "arrears")
LINE_DISPLAYS = ("single", "per_period")
DOCUMENT_TYPES = ("invoice", "proforma", "order", "credit_note")
INVOICE_STATUSES = ("draft", "issued", "open_item", "posted")
PAYMENT_METHODS = ("bank_transfer", "sepa_direct_debit", "riba", "cash", "card")
ARTICLE_KINDS = ("service", "goods")
LANGUAGES = ("it", "en")
DEFAULT_SERIES_FORMAT = "{series}/{year}/{seq:04d}"
