"""What every command-line program of the project shares: logging, flag types and the
third-party files bundled in installed packages (common/vendor.py).

Kept apart from `protocol` (the wire contract) because it is about processes,
not messages; each program's `__main__` uses it, and the pages it serves.
"""
