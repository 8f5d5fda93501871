"""Persistence: SQLAlchemy models, Alembic migrations, the credit ledger, blob storage."""

from reelwright.store.accounts import Accounts, Caller, hash_token
from reelwright.store.blobs import BlobStore, display_name
from reelwright.store.conversation import Conversation
from reelwright.store.credits import Balance, Hold, Ledger, parse_prices
from reelwright.store.db import Database, new_id, utcnow
from reelwright.store.history import DraftHistory
from reelwright.store.jobs import Jobs, JobStatus
from reelwright.store.leases import SessionLeases
from reelwright.store.projects import Projects
from reelwright.store.reaper import Reaper, reap
from reelwright.store.retention import RetentionThread, cleanup
from reelwright.store.turns import Turn, TurnService

__all__ = [
    "Accounts", "Balance", "BlobStore", "Caller", "Conversation", "Database", "DraftHistory",
    "Hold", "JobStatus", "Jobs", "Ledger", "Projects", "Reaper", "RetentionThread",
    "SessionLeases", "Turn", "TurnService", "cleanup", "display_name", "hash_token", "new_id",
    "parse_prices", "reap", "utcnow",
]
