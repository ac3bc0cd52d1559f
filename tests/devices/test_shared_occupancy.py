"""Devices of one home share one household: built alone from the home seed and their ids,
as `python -m devices --seed S --id ID` builds them, with no broker between them."""

from datetime import date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from devices.assembly import DeviceSpec, build_model
from devices.household import Household

LONDON = ZoneInfo("Europe/London")
HOME_SEED = 4
HOUR = 3600.0


def start_of(day: date) -> float:
    return datetime.combine(day, datetime.min.time(), LONDON).timestamp()


def device(kind: str, device_id: str, start: float, **params):
    return build_model(DeviceSpec(device_id, kind, device_id, params), HOME_SEED, start, LONDON)


def run(model, hours: float) -> list[tuple[float, bool, float]]:
    """(t, on, power) at every tick."""
    samples, t = [], model.now
    for _ in range(round(hours * HOUR / model.tick_s)):
        t += model.tick_s
        model.advance_to(t)
        samples.append((t, model.on, model.power_w))
    return samples


def test_a_kettle_and_a_tv_of_one_home_are_used_only_when_someone_is_active():
    start = start_of(date(2026, 11, 2))
    kettle, tv = device("kettle", "kitchen-kettle", start), device("tv", "living-room-tv", start)
    # each process draws the household from the home seed alone: the same people
    alone = Household(HOME_SEED, LONDON)
    for day in (date(2026, 11, 2) + timedelta(days=n) for n in range(14)):
        assert kettle.household.day(day) == tv.household.day(day) == alone.day(day)
    for model in (kettle, tv):
        samples = run(model, 14 * 24)
        # a state changes at a tick's end, so a use seen at t began within the tick before
        starts = [t for (_, was, _), (t, on, _) in pairwise(samples) if on and not was]
        assert len(starts) >= 14
        assert all(alone.active_at(t - model.tick_s) > 0 for t in starts)
    # a boil runs its three minutes out, but the TV goes off when the last viewer leaves
    watched = [t for t, on, _ in run(device("tv", "living-room-tv", start), 14 * 24) if on]
    assert len(watched) > 100
    assert all(alone.active_at(t - tv.tick_s) > 0 for t in watched)
    # and a different home is other people
    assert Household(HOME_SEED + 1, LONDON).day(date(2026, 11, 3)) != alone.day(date(2026, 11, 3))


def test_the_lights_of_a_home_are_not_all_on_all_evening():
    day = date(2025, 12, 1)
    start = start_of(day)
    lights = [
        device("light", name, start, rated_w=rated)
        for name, rated in (("living-room-light", 40), ("kitchen-light", 30), ("bedroom-light", 20))
    ]
    household = lights[0].household
    runs = [run(light, 14 * 24) for light in lights]
    all_on = some_on = evening = 0
    for i, (t, *_) in enumerate(runs[0]):
        local = datetime.fromtimestamp(t, LONDON)
        if local.weekday() >= 5 or not 18 <= local.hour < 22:
            continue
        if household.active_at(t - lights[0].tick_s) == 0:
            assert not any(samples[i][1] for samples in runs)  # nobody up: all dark
            continue
        evening += 1
        on = [samples[i][1] for samples in runs]
        all_on += all(on)
        some_on += any(on)
    assert evening > 0
    assert some_on / evening > 0.7  # someone is up in the dark: a room is lit
    assert all_on / evening < 0.5  # but not every room all the time
    for samples in runs:
        share = sum(on for _, on, _ in samples) / len(samples)
        assert 0.05 < share < 0.4  # each light some of the day
