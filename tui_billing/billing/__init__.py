"""Use cases: installments, due lists, invoices, numbering, billing runs."""
