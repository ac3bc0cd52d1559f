"""The launcher: the whole home (broker, hub, one process per device) in one command."""
