"""The one kit tests/ and bench/ start real things with: ports, processes, brokers, a hub,
devices, the launched home, sample configs and /proc figures.

Both callers want the same children, reaped the same way; they differ only in how a
failure is reported (a test fails or skips, a benchmark stops with a message), which is
the `error` and `missing` of `Processes`.
"""
