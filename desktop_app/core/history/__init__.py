"""The history database: opening, migrations and repository functions."""

from desktop_app.core.history.db import (
    HistoryError,
    NewerSchemaError,
    open_history,
    write_transaction,
)

__all__ = ["HistoryError", "NewerSchemaError", "open_history", "write_transaction"]
