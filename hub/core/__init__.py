"""The hub's pure core: settings, registry, energy, tariff, thresholds, shedding.

It imports nothing of ours outside itself and `protocol`: the settings it runs
on are its own types (`settings`), which `hub.config.load` parses into, and
tests/hub/test_hub_core_imports.py keeps it so. It imports no I/O library (no
paho, flask or sqlite3) and never reads a clock: time is always passed in, so
every rule is tested in memory in milliseconds.
"""
