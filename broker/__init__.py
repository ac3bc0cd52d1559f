"""The embedded MQTT broker (amqtt) and the access rules shared with Mosquitto.

`python -m broker` runs a broker good enough for a home of a few dozen devices
with nothing to install; Mosquitto (configured by the files beside this module)
is the choice for docker compose and for high message rates.
"""
