"""The home's configuration: home.toml parsed and checked into `hub.core.settings`."""
