"""The energy manager's pure core: strategies, people's holds, forecasts, the plan's question.

`EnergyManager.decide(observation)` is all a caller needs: the hub feature
(hub/features/manager.py) calls it on the live hub, the simulator (home/) in its loop.
"""

from hub.core.manager.forecast import HISTORY_S, HomeHistory, flexible_devices
from hub.core.manager.manager import EnergyManager
from hub.core.manager.observe import observe
from hub.core.manager.requests import planning_limit_w
from hub.core.settings import MANAGER_ACTOR, STRATEGIES, ManagerSettings

__all__ = [
    "HISTORY_S",
    "MANAGER_ACTOR",
    "STRATEGIES",
    "EnergyManager",
    "HomeHistory",
    "ManagerSettings",
    "flexible_devices",
    "observe",
    "planning_limit_w",
]
