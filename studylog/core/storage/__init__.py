"""The one door to SQLite: the connection, numbered migrations and the repositories."""
