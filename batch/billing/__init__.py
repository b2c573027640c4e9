"""Billing: the pure pricing core (no I/O, no clock). Records in, draft invoices out."""
