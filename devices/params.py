"""Model parameters: declared once per kind, parsed from `--param key=value` text."""

from collections.abc import Mapping
from dataclasses import dataclass

ParamValue = float | int | bool | str

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


class ModelError(ValueError):
    """A parameter or model input a person got wrong; the message says how to fix it."""


@dataclass(frozen=True)
class Param:
    """One tunable of a model. The default's type is the parameter's type."""

    default: ParamValue
    help: str
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    """For a text parameter: the values it may take (any non-empty text when empty)."""

    def parse(self, name: str, value: object) -> ParamValue:
        """`value` (text from the command line, or a TOML value) as this parameter's type."""
        kind = type(self.default)
        if kind is bool:
            return _parse_bool(name, value)
        if kind is str:
            if not isinstance(value, str) or not value:
                raise ModelError(f"parameter {name}: expected a non-empty text, got {value!r}")
            if self.choices and value not in self.choices:
                raise ModelError(
                    f"parameter {name}={value}: expected one of {', '.join(self.choices)}"
                )
            return value
        number = _parse_number(name, value, integral=kind is int)
        if (self.min is not None and number < self.min) or (
            self.max is not None and number > self.max
        ):
            raise ModelError(
                f"parameter {name}={value}: must be between {self.min:g} and {self.max:g}"
            )
        return number

    def describe(self) -> str:
        bounds = f", {self.min:g}..{self.max:g}" if self.min is not None else ""
        choices = f" (one of: {', '.join(self.choices)})" if self.choices else ""
        return f"{self.help}{choices} (default {self.default}{bounds})"


def _parse_bool(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    raise ModelError(f"parameter {name}={value}: expected true or false")


def _parse_number(name: str, value: object, integral: bool) -> float | int:
    if isinstance(value, bool):
        raise ModelError(f"parameter {name}={value}: expected a number")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ModelError(f"parameter {name}={value}: expected a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ModelError(f"parameter {name}={value}: expected a finite number")
    if integral:
        if not number.is_integer():
            raise ModelError(f"parameter {name}={value}: expected a whole number")
        return int(number)
    return number


def resolve_params(
    kind: str, declared: Mapping[str, Param], given: Mapping[str, object]
) -> dict[str, ParamValue]:
    """Every declared parameter's value: the given ones parsed, the rest defaulted."""
    unknown = sorted(set(given) - set(declared))
    if unknown:
        known = ", ".join(sorted(declared)) or "none"
        raise ModelError(
            f"unknown parameter {unknown[0]!r} for kind {kind!r}; known parameters: {known}"
        )
    return {
        name: param.parse(name, given[name]) if name in given else param.default
        for name, param in declared.items()
    }
