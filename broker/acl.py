"""Who may publish where: the one access rule both brokers enforce.

The rule protects the contract's trust model: a device speaks only for itself,
so a compromised or buggy device cannot forge another device's readings, the
hub's summary or alerts, or the simulation clock. The hub speaks for everyone.
Reading is not restricted: everything under the root is household telemetry
that the dashboard, the hub and people with `mosquitto_sub` all need.

`broker/mosquitto.acl` states the same rule in Mosquitto's ACL language.
"""

from protocol import is_valid_device_id

HUB_USER = "hub"
HA_DISCOVERY_PREFIX = "homeassistant"


def may_publish(username: str | None, topic: str, root: str) -> bool:
    """Whether `username` may publish on `topic` in a home rooted at `root`.

    - `hub` may publish anywhere under `<root>/`.
    - A user named like a device id may publish under `<root>/<id>/`.
    - Both may publish their own Home Assistant discovery configs,
      `homeassistant/<component>/<user>/...` (the hub's announce the home's meter).
    - Anyone else, anonymous clients included, may publish nothing.
    """
    if username is None:
        return False
    if username == HUB_USER:
        return topic.startswith(root + "/") or _own_discovery_config(username, topic)
    if not is_valid_device_id(username):
        return False
    return topic.startswith(f"{root}/{username}/") or _own_discovery_config(username, topic)


def _own_discovery_config(username: str, topic: str) -> bool:
    levels = topic.split("/")
    return len(levels) >= 4 and levels[0] == HA_DISCOVERY_PREFIX and levels[2] == username
