"""Storage: SQLAlchemy Core tables, Alembic migrations and the Store every interface reads."""

from borderwatch.store.repo import EventFilter, EventRow, Store

__all__ = ["EventFilter", "EventRow", "Store"]
