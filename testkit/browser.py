"""How the system Chromium is launched headless, for browser tests and benchmarks alike."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # without these, Chromium keeps dialling Google, which this closed network refuses
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
