"""The hub's durable log (SQLite): schema, writer, queries, history, export, restore."""
