"""The publish rule itself, without a broker."""

import pytest

from broker.acl import may_publish


@pytest.mark.parametrize(
    ("user", "topic", "allowed"),
    [
        ("hub", "home/kitchen-fridge/set", True),
        ("hub", "home/hub/clock", True),
        ("hub", "elsewhere/x", False),
        ("hub", "home", False),
        ("hub", "homeassistant/sensor/hub/import_total_wh/config", True),
        ("hub", "homeassistant/sensor/kitchen-fridge/power/config", False),
        ("kitchen-fridge", "homeassistant/sensor/hub/import_total_wh/config", False),
        ("kitchen-fridge", "home/kitchen-fridge/state", True),
        ("kitchen-fridge", "home/kitchen-fridge/availability", True),
        ("kitchen-fridge", "homeassistant/sensor/kitchen-fridge/power/config", True),
        ("kitchen-fridge", "homeassistant/sensor/living-tv/power/config", False),
        ("kitchen-fridge", "home/living-tv/state", False),
        ("kitchen-fridge", "home/hub/summary", False),
        ("kitchen-fridge", "home/hub/clock", False),
        ("kitchen-fridge", "home/kitchen-fridge", False),
        ("kitchen", "home/kitchen-fridge/state", False),
        ("Kitchen-Fridge", "home/Kitchen-Fridge/state", False),
        (None, "home/kitchen-fridge/state", False),
        ("admin", "home/admin/state", True),
        ("not a device", "home/not a device/state", False),
    ],
)
def test_may_publish(user, topic, allowed):
    assert may_publish(user, topic, "home") is allowed


def test_root_is_respected():
    assert may_publish("hub", "flat-3/kettle/set", "flat-3")
    assert not may_publish("hub", "home/kettle/set", "flat-3")
    assert may_publish("kettle", "flat-3/kettle/state", "flat-3")
