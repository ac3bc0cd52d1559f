"""The energy view's reads: sums of the hourly rollups (`hub.store.hourly`) over a period.

An hour belongs to a span by its start: ``since <= hour < until``. Every sum is
done by SQLite over the hourly tables, so a year of 20 devices reads about
175,000 small rows in C and hands Python a few dozen.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from hub.core.energy_rows import HomeTotals

_HOME_SUMS = ", ".join(f"total(h.{name})" for name in HomeTotals.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class DeviceEnergy:
    """One device's energy over a span, its cost, and how much of it came from solar, battery."""

    energy_wh: float = 0.0
    cost: float = 0.0
    from_solar_wh: float = 0.0
    from_battery_wh: float = 0.0


class EnergyQueries:
    """Mixed into `hub.store.queries.StoreQueries`, which provides `_rows`."""

    def _rows(self, sql: str, params: Sequence[object] = ()) -> Iterator[tuple]:
        raise NotImplementedError

    def home_buckets(self, edges: Sequence[float]) -> list[HomeTotals]:
        """The home's totals per bucket ``[edges[i], edges[i + 1])``: one per pair of edges."""
        pairs = list(itertools.pairwise(edges))
        if not pairs:
            return []
        values = ", ".join("(?, ?, ?)" for _ in pairs)
        params = [value for i, (lo, hi) in enumerate(pairs) for value in (i, lo, hi)]
        sql = (
            f"WITH b(i, lo, hi) AS (VALUES {values}) SELECT {_HOME_SUMS} FROM b"
            " LEFT JOIN home_hourly_rollups AS h ON h.hour >= b.lo AND h.hour < b.hi"
            " GROUP BY b.i ORDER BY b.i"
        )
        return [HomeTotals(*row) for row in self._rows(sql, params)]

    def device_energy(self, since: float, until: float) -> dict[str, DeviceEnergy]:
        """Per device with energy in ``[since, until)``: its sums, by device id."""
        sql = (
            "SELECT device, total(energy_wh), total(cost), total(from_solar_wh),"
            " total(from_battery_wh) FROM hourly_rollups WHERE hour >= ? AND hour < ?"
            " GROUP BY device ORDER BY device"
        )
        return {device: DeviceEnergy(*sums) for device, *sums in self._rows(sql, (since, until))}
