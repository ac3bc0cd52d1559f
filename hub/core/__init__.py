"""The hub's pure core: registry, energy, tariff, thresholds, shedding.

It imports no I/O library (no paho, flask or sqlite3) and never reads a clock:
time is always passed in, so every rule is tested in memory in milliseconds.
"""
