"""Simulated appliances: pure models in `kinds/`, and the runtime that puts them on MQTT."""
