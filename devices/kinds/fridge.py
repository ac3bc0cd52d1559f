"""Refrigerator: a ~100 W compressor cycling on its thermostat, day and night.

Calibration (appliances.md): compressor 50-120 W (CREST 110 W), runs 15 +/- 5 min
and rests 40 +/- 10 min (ALPG), ~21 % duty (CREST), ~0.5 kWh a day.
ALPG's mean run and rest (15 and 40 min) would give 27 % duty and 0.65 kWh a day
at 100 W, above CREST's 21 %; runs of 10-15 min (mean 12.5) and rests of 40-50 min
(mean 45) stay inside ALPG's ranges and land at ~22 % duty and ~0.54 kWh a day.
Evening door openings (17:00-22:00) shorten rests by 20 %, to 32-40 min, so the
evening duty is ~25 % against ~21 % at night. These figures describe a 20 C
kitchen: the ~18.5 C of a heated winter kitchen stretches the rests and a ~23-24 C
July one shortens them, ~3.5 % more energy per degree C (devices/kinds/_compressor.py).
"""

from devices.kinds._compressor import CompressorAppliance
from devices.params import Param


class Fridge(CompressorAppliance):
    kind = "fridge"
    summary = "refrigerator, 100 W compressor cycling ~15 min on / ~40 min off, ~0.5 kWh a day"
    params = {
        "rated_w": Param(100.0, "compressor power while running, W", 30, 300),
    }
    run_min = (10.0, 15.0)
    rest_min = (40.0, 50.0)
