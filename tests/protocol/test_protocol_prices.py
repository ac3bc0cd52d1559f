"""home/hub/prices (protocol.hub_payloads.Prices): the contract's example, its checks."""

import json

import pytest

from protocol import MAX_PAYLOAD_BYTES, Prices, PriceSlot, ProtocolError, Topics

# The shape of the contract's example (protocol.md, "Prices and the plan"), two slots long.
EXAMPLE = """{"currency": "GBP", "slots": [
 {"start": 1767628800, "end": 1767630600, "import": 0.21, "export": 0.15, "co2_g_per_kwh": 150},
 {"start": 1767630600, "end": 1767632400, "import": -0.02, "export": 0.04, "co2_g_per_kwh": 60}]}"""


def example(**changes: object) -> bytes:
    data = json.loads(EXAMPLE)
    for key, value in changes.items():
        index, field = key.split("_", 1) if key[0].isdigit() else (None, key)
        target = data["slots"][int(index)] if index is not None else data
        target[field] = value
    return json.dumps(data).encode()


def rejection(payload: bytes) -> str:
    with pytest.raises(ProtocolError) as caught:
        Prices.from_payload(payload)
    return str(caught.value)


def test_the_example_parses_and_round_trips():
    prices = Prices.from_payload(EXAMPLE)
    first, second = prices.slots
    assert first == PriceSlot(
        start=1767628800, end=1767630600, import_price=0.21, export_price=0.15, co2_g_per_kwh=150
    )
    assert second.import_price == -0.02  # negative prices are prices
    assert Prices.from_payload(prices.to_payload()) == prices
    assert json.loads(prices.to_payload())["slots"][0] == json.loads(EXAMPLE)["slots"][0]
    assert Topics().hub_prices == "home/hub/prices"


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"currency": "gbp"}, "prices.currency must match"),
        ({"slots": []}, "prices.slots must be an array of 1 to 1000 slots"),
        ({"1_start": 1767630000}, "prices.slots[1].start (1767630000.0) must be the end of"),
        ({"0_end": 1767628800}, "price slot.end (1767628800.0) must be after its start"),
        ({"0_import": "0.21"}, "prices.slots[0]: price slot.import must be a finite number"),
        ({"1_co2_g_per_kwh": -1}, "price slot.co2_g_per_kwh must be a finite number >= 0"),
    ],
)
def test_a_bad_payload_is_refused_naming_the_field(changes, fragment):
    assert fragment in rejection(example(**changes))


def test_a_missing_price_is_named_as_on_the_wire():
    data = json.loads(EXAMPLE)
    del data["slots"][0]["export"]
    assert "price slot.export is required" in rejection(json.dumps(data).encode())


def test_a_day_of_five_minute_slots_fits_in_one_message():
    slots = tuple(
        PriceSlot(
            start=1767628800 + 300 * i,
            end=1767628800 + 300 * (i + 1),
            import_price=-0.1234 + i / 10000,
            export_price=0.1234,
            co2_g_per_kwh=123.4,
        )
        for i in range(289)
    )
    assert len(Prices(currency="GBP", slots=slots).to_payload()) < MAX_PAYLOAD_BYTES
