"""Persistence: SQLAlchemy models, Alembic migrations, the credit ledger, blob storage."""

from reelwright.store.accounts import Accounts, Caller, hash_token
from reelwright.store.blobs import BlobStore, display_name
from reelwright.store.credits import Balance, Hold, Ledger, parse_prices
from reelwright.store.db import Database, new_id, utcnow
from reelwright.store.projects import Projects
from reelwright.store.retention import RetentionThread, cleanup

__all__ = [
    "Accounts", "Balance", "BlobStore", "Caller", "Database", "Hold", "Ledger", "Projects",
    "RetentionThread", "cleanup", "display_name", "hash_token", "new_id", "parse_prices",
    "utcnow",
]
