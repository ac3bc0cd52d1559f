"""The `rules` strategy of the energy manager (evcc's behaviour): pure, clock-free, driven
by the observations it is given. See `strategy` for what it decides and why."""

from hub.core.rules.observation import DeviceView, Observation
from hub.core.rules.settings import RulesSettings
from hub.core.rules.strategy import RulesStrategy

__all__ = ["DeviceView", "Observation", "RulesSettings", "RulesStrategy"]
