"""The hub's MQTT edge: the adapter on the broker and the readings receiver process."""
