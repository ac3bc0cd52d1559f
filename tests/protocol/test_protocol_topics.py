"""Topic names and the topic stage of the inbound gate (protocol.topics)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from protocol_strategies import FAST, device_ids, topic_roots

from protocol import (
    DEFAULT_ROOT,
    DEVICE_CHANNELS,
    HUB_CHANNELS,
    ProtocolError,
    TopicRef,
    Topics,
    ha_discovery_topics,
    ha_hub_sensor_topic,
)

home = Topics()


def test_device_topics_follow_the_contract():
    assert DEFAULT_ROOT == "home"
    assert home.meta("kitchen-fridge") == "home/kitchen-fridge/meta"
    assert home.availability("kitchen-fridge") == "home/kitchen-fridge/availability"
    assert home.state("kitchen-fridge") == "home/kitchen-fridge/state"
    assert home.result("kitchen-fridge") == "home/kitchen-fridge/result"
    assert home.set("kitchen-fridge") == "home/kitchen-fridge/set"


def test_hub_topics_follow_the_contract():
    assert home.hub_availability == "home/hub/availability"
    assert home.hub_summary == "home/hub/summary"
    assert home.hub_alerts == "home/hub/alerts"
    assert home.hub_clock == "home/hub/clock"


def test_subscription_filters():
    assert home.all_meta == "home/+/meta"
    assert home.all_availability == "home/+/availability"
    assert home.all_state == "home/+/state"
    assert home.all_result == "home/+/result"
    assert home.all_set == "home/+/set"
    assert home.hub_all == "home/hub/+"
    assert home.device_channels("oven") == "home/oven/+"


def test_a_custom_root_prefixes_everything():
    topics = Topics("site/b")
    assert topics.state("oven") == "site/b/oven/state"
    assert topics.hub_summary == "site/b/hub/summary"
    assert topics.parse("site/b/oven/set") == TopicRef("oven", "set")


@pytest.mark.parametrize("root", ["", "home/", "a/+", "$SYS", "#"])
def test_an_invalid_root_is_rejected_at_construction(root):
    with pytest.raises(ProtocolError, match="topic root"):
        Topics(root)


@pytest.mark.parametrize("build", [Topics.meta, Topics.state, Topics.set, Topics.device_channels])
@pytest.mark.parametrize("device_id", ["Oven", "+", "#", "a/b", "hub", ""])
def test_building_a_topic_validates_the_id(build, device_id):
    with pytest.raises(ProtocolError, match="device id"):
        build(home, device_id)


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        ("home/oven/meta", TopicRef("oven", "meta")),
        ("home/oven/availability", TopicRef("oven", "availability")),
        ("home/oven/state", TopicRef("oven", "state")),
        ("home/oven/result", TopicRef("oven", "result")),
        ("home/oven/set", TopicRef("oven", "set")),
        ("home/hub/summary", TopicRef("hub", "summary")),
        ("home/hub/alerts", TopicRef("hub", "alerts")),
        ("home/hub/clock", TopicRef("hub", "clock")),
        ("home/hub/availability", TopicRef("hub", "availability")),
    ],
)
def test_parse_identifies_every_topic_of_the_contract(topic, expected):
    ref = home.parse(topic)
    assert ref == expected
    assert ref.is_hub is (expected.device_id == "hub")


@pytest.mark.parametrize(
    ("topic", "fragment"),
    [
        ("other/oven/state", "not under the root 'home'"),
        ("homeoven/state", "not under the root"),
        ("home", "not under the root"),
        ("home/oven", "must be home/<id>/<channel>"),
        ("home/oven/state/extra", "got 3 levels"),
        ("home//state", "device id must not be empty"),
        ("home/Oven/state", "device id 'Oven' must match"),
        ("home/+/state", "must match"),
        ("home/oven/power", "unknown device channel 'power'"),
        ("home/oven/summary", "unknown device channel"),
        ("home/hub/set", "unknown hub channel 'set'"),
        ("home/hub/state", "unknown hub channel"),
        (b"home/oven/state", "topic must be a string"),
    ],
)
def test_parse_rejects_anything_else(topic, fragment):
    with pytest.raises(ProtocolError) as caught:
        home.parse(topic)
    assert fragment in str(caught.value)


def test_channel_sets_match_the_contract():
    assert frozenset({"meta", "availability", "state", "result", "set"}) == DEVICE_CHANNELS
    hub = frozenset({"summary", "alerts", "clock", "availability", "prices", "plan"})
    assert hub == HUB_CHANNELS


def test_home_assistant_discovery_topics():
    power, energy, switch = ha_discovery_topics("kitchen-fridge")
    assert power == "homeassistant/sensor/kitchen-fridge/power/config"
    assert energy == "homeassistant/sensor/kitchen-fridge/energy/config"
    assert switch == "homeassistant/switch/kitchen-fridge/power/config"
    assert ha_discovery_topics("oven").switch == "homeassistant/switch/oven/power/config"
    with pytest.raises(ProtocolError):
        ha_discovery_topics("Oven")


def test_home_assistant_discovery_topic_of_a_hub_sensor():
    topic = ha_hub_sensor_topic("export_total_wh")
    assert topic == "homeassistant/sensor/hub/export_total_wh/config"
    for not_a_summary_field in ("grid_w", "power_w/config", "+"):
        with pytest.raises(ProtocolError, match="not a field of the hub's summary"):
            ha_hub_sensor_topic(not_a_summary_field)


@FAST
@given(topic_roots, device_ids, st.sampled_from(sorted(DEVICE_CHANNELS)))
def test_every_device_topic_round_trips_through_parse(root, device_id, channel):
    topics = Topics(root)
    topic = getattr(topics, channel)(device_id)
    assert topics.parse(topic) == TopicRef(device_id, channel)


@FAST
@given(device_ids)
def test_state_topic_round_trips_for_every_valid_id(device_id):
    assert home.parse(home.state(device_id)) == TopicRef(device_id, "state")


@FAST
@given(st.text(max_size=80) | st.from_regex(r"home/[^/]{0,50}/[a-z]{0,12}", fullmatch=True))
def test_parse_raises_only_protocol_error(topic):
    try:
        ref = home.parse(topic)
    except ProtocolError:
        return
    channels = HUB_CHANNELS if ref.is_hub else DEVICE_CHANNELS
    assert ref.channel in channels
    assert topic == f"home/{ref.device_id}/{ref.channel}"
