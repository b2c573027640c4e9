"""The statement writers the tests use (batch.payments.writers: CODA 2.x and camt.053.001.02)."""

from batch.payments.writers import *  # noqa: F401,F403
from batch.payments.writers import CAMT_NS, D, Mv, Stmt, camt_document, camt_file, coda_file, coda_records  # noqa: F401
