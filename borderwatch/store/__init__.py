"""Storage: SQLAlchemy Core tables, Alembic migrations and the Store every interface reads."""

from borderwatch.store.filters import EventFilter
from borderwatch.store.repo import EventRow, Store

__all__ = ["EventFilter", "EventRow", "Store"]
