"""The registry of appliance kinds: adding a kind is one file here and one line below.

Kinds are imported on first use, so a device process loads only its own model.
"""

from importlib import import_module

from devices.appliance import Appliance

_REGISTRY: dict[str, str] = {
    "light": "devices.kinds.light:Light",
    "tv": "devices.kinds.tv:Tv",
    "computer": "devices.kinds.computer:Computer",
    "kettle": "devices.kinds.kettle:Kettle",
    "oven": "devices.kinds.oven:Oven",
    "fridge": "devices.kinds.fridge:Fridge",
    "fridge_freezer": "devices.kinds.fridge_freezer:FridgeFreezer",
    "washing_machine": "devices.kinds.washing_machine:WashingMachine",
    "dishwasher": "devices.kinds.dishwasher:Dishwasher",
    "heat_pump": "devices.kinds.heat_pump:HeatPump",
    "water_heater": "devices.kinds.water_heater:WaterHeater",
    "ev_charger": "devices.kinds.ev_charger:EvCharger",
    "solar": "devices.kinds.solar:Solar",
    "replay": "devices.kinds.replay:Replay",
    "baseload": "devices.kinds.baseload:Baseload",
    "hob": "devices.kinds.hob:Hob",
    "microwave": "devices.kinds.microwave:Microwave",
    "tumble_dryer": "devices.kinds.tumble_dryer:TumbleDryer",
    "electric_shower": "devices.kinds.electric_shower:ElectricShower",
    "battery": "devices.kinds.battery:Battery",
}

KIND_NAMES: tuple[str, ...] = tuple(sorted(_REGISTRY))


class UnknownKindError(ValueError):
    pass


def get_kind(name: str) -> type[Appliance]:
    try:
        module_name, class_name = _REGISTRY[name].split(":")
    except KeyError:
        raise UnknownKindError(
            f"unknown kind {name!r}; known kinds: {', '.join(KIND_NAMES)}"
        ) from None
    return getattr(import_module(module_name), class_name)
