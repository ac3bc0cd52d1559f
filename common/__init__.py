"""What every command-line program of the project shares: logging and flag types.

Kept apart from `protocol` (the wire contract) because it is about processes,
not messages; each program's `__main__` uses it and nothing below that does.
"""
