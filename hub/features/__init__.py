"""What reacts to the core's events on the controller's bus: each a `Feature`."""
