"""The open alerts (hub.core.alerts): raise, clear, acknowledge, ids, restore, messages."""

from dataclasses import replace

import pytest

from hub.core.alerts import AlertBook, availability_message
from protocol import Alert, ProtocolError

T0 = 1763900000.0


def raise_home(book: AlertBook, now: float = T0, rule: str = "total-power-high"):
    return book.raise_(rule, None, "warning", 7450.0, 7000.0, "Home draws 7.45 kW", now)


def raise_kettle(book: AlertBook, now: float = T0):
    return book.raise_(
        "device-power-high", "kitchen-kettle", "critical", 3100.0, 3000.0, "kettle", now
    )


def test_raise_opens_an_alert_matching_the_contract_example():
    alert = raise_home(AlertBook())
    assert alert == Alert(
        id="total-power-high:1763900000",
        ts=T0,
        rule="total-power-high",
        device=None,
        level="warning",
        state="raised",
        value=7450.0,
        threshold=7000.0,
        message="Home draws 7.45 kW",
    )


def test_device_alert_ids_name_the_device():
    alert = raise_kettle(AlertBook(), T0 + 0.75)
    assert alert.id == "device-power-high:kitchen-kettle:1763900000"
    assert (alert.device, alert.level) == ("kitchen-kettle", "critical")


def test_a_second_raise_while_open_returns_none():
    book = AlertBook()
    first = raise_home(book)
    assert raise_home(book, T0 + 30) is None
    assert raise_kettle(book) is not None  # other (rule, device): its own alert
    assert [a.id for a in book.open_alerts() if a.rule == "total-power-high"] == [first.id]


def test_clear_keeps_the_id_level_and_threshold_and_closes_the_alert():
    book = AlertBook()
    raised = raise_home(book)
    cleared = book.clear("total-power-high", None, 6200.0, "Home power back to 6.20 kW", T0 + 40)
    assert cleared == replace(
        raised, ts=T0 + 40, state="cleared", value=6200.0, message="Home power back to 6.20 kW"
    )
    assert book.open_alerts() == []
    assert book.clear("total-power-high", None, 6200.0, "again", T0 + 41) is None
    assert book.clear("total-power-high", "kitchen-kettle", 0.0, "never raised", T0) is None


def test_ids_raised_in_the_same_second_are_made_unique():
    book = AlertBook()
    ids = []
    for fraction in (0.1, 0.4, 0.8):
        ids.append(raise_home(book, T0 + fraction).id)
        book.clear("total-power-high", None, 0.0, "", T0 + fraction + 0.05)
    assert ids == [
        "total-power-high:1763900000",
        "total-power-high:1763900000-2",
        "total-power-high:1763900000-3",
    ]
    # A new second starts plain again.
    assert raise_home(book, T0 + 1).id == "total-power-high:1763900001"


def test_acknowledge_keeps_the_alert_open_until_cleared():
    book = AlertBook()
    raised = raise_home(book)
    acked = book.acknowledge(raised.id, T0 + 5)
    assert (acked.id, acked.state, acked.ts, acked.value) == (
        raised.id,
        "acknowledged",
        T0 + 5,
        7450,
    )
    assert book.open_alerts() == [acked]
    assert book.acknowledge(raised.id, T0 + 9) == acked  # twice is fine
    cleared = book.clear("total-power-high", None, 6000.0, "back", T0 + 20)
    assert (cleared.id, cleared.state) == (raised.id, "cleared")
    with pytest.raises(KeyError, match="no open alert has id 'total-power-high:1763900000'"):
        book.acknowledge(raised.id, T0 + 21)


def test_acknowledging_an_unknown_id_is_a_key_error():
    with pytest.raises(KeyError, match="no open alert has id 'nope'"):
        AlertBook().acknowledge("nope", T0)


def test_open_alerts_newest_raised_first_acknowledgement_does_not_reorder():
    book = AlertBook()
    home = raise_home(book, T0)
    kettle = raise_kettle(book, T0 + 10)
    stale = book.raise_("device-stale", "fridge", "warning", None, None, "stale", T0 + 20)
    book.acknowledge(home.id, T0 + 30)
    assert [a.id for a in book.open_alerts()] == [stale.id, kettle.id, home.id]
    assert book.is_open("device-stale", "fridge")
    assert not book.is_open("device-stale", "kettle")


def test_restore_reopens_alerts_and_they_clear_with_their_old_ids():
    before = AlertBook()
    home = raise_home(before, T0)
    kettle = raise_kettle(before, T0 + 5)
    kettle_acked = before.acknowledge(kettle.id, T0 + 6)
    offline = before.raise_("device-offline", "tv", "warning", None, None, "tv", T0 + 7)
    offline_cleared = before.clear("device-offline", "tv", None, "back", T0 + 8)

    after = AlertBook()
    after.restore([home, kettle, kettle_acked, offline, offline_cleared])
    assert after.open_alerts() == [kettle_acked, home]
    assert raise_home(after, T0 + 100) is None
    cleared = after.clear("device-power-high", "kitchen-kettle", 0.0, "back", T0 + 100)
    assert cleared.id == kettle.id
    assert [a.id for a in after.open_alerts()] == [home.id]


def test_restore_keeps_the_later_of_two_open_alerts_for_one_rule():
    old = raise_home(AlertBook(), T0)
    new = raise_home(AlertBook(), T0 + 60)
    book = AlertBook()
    book.restore([new, old])
    assert book.open_alerts() == [new]


def test_invalid_level_or_device_is_refused_by_the_contract():
    book = AlertBook()
    with pytest.raises(ProtocolError, match=r"alert\.level"):
        book.raise_("total-power-high", None, "panic", 1.0, 1.0, "m", T0)
    with pytest.raises(ProtocolError, match=r"alert\.device"):
        book.raise_("device-power-high", "Bad Id", "warning", 1.0, 1.0, "m", T0)
    assert book.open_alerts() == []


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (
            ("device-offline", "kitchen-fridge", "Kitchen fridge"),
            {},
            "Kitchen fridge (kitchen-fridge) went offline",
        ),
        (
            ("device-offline", "kitchen-fridge", "Kitchen fridge"),
            {"cleared": True},
            "Kitchen fridge (kitchen-fridge) is back online",
        ),
        (
            ("device-stale", "kitchen-fridge", "Kitchen fridge"),
            {"silent_s": 6.4, "interval_s": 2.0},
            "Kitchen fridge (kitchen-fridge) has sent nothing for 6 s (3 intervals)",
        ),
        (
            ("device-stale", "tv"),
            {"silent_s": 90, "interval_s": 60},
            "tv has sent nothing for 90 s (1 interval)",
        ),
        (("device-stale", "tv", "tv"), {"cleared": True}, "tv is reporting again"),
    ],
)
def test_availability_messages(args, kwargs, message):
    assert availability_message(*args, **kwargs) == message


def test_availability_message_refuses_other_rules():
    with pytest.raises(ValueError, match="'total-power-high' is not an availability rule"):
        availability_message("total-power-high", "tv")
