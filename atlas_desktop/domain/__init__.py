"""Plain-Python domain values. Imports nothing of Qt, SQLAlchemy or the rest of the project."""
