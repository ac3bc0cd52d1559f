"""The hub: turns the devices' MQTT traffic into the household's truth."""
