"""The shared shape of every JSON payload class.

A payload class is a frozen dataclass that declares, per field, the rule from
`protocol.fields` that its value must pass. The promises that follow for every
subclass:

- an instance is valid: construction runs the rules (so a device cannot build
  a state the hub would reject) and stores each value in its canonical type
  (numbers as float, so ``120`` and ``120.0`` are the same reading);
- ``from_payload`` raises nothing but `ProtocolError`, whatever the bytes;
- ``from_payload(x.to_payload()) == x``;
- unknown fields in a payload are ignored and every known field is required,
  except those a later contract version added (``ADDED``), which take their
  dataclass default when an older producer leaves them out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any, ClassVar, Self

from protocol.fields import canonical_test, decode_object, encode_json, pick

Rule = Callable[[Any, str], Any]


class JsonPayload:
    """Mixin for frozen, slotted payload dataclasses; see the module docstring."""

    __slots__ = ()

    # The payload's name in error messages, e.g. "state" gives "state.power_w ...".
    WHAT: ClassVar[str]
    # One rule per dataclass field: (value, dotted path) -> canonical value.
    RULES: ClassVar[Mapping[str, Rule]]
    # Fields added by a later version of the contract: optional when parsing.
    ADDED: ClassVar[frozenset[str]] = frozenset()
    # Added fields that only some producers have (a battery's `soc_pct`): left out of
    # `to_dict` while None, so everyone else's payloads stay as they were.
    OMIT_WHEN_NONE: ClassVar[frozenset[str]] = frozenset()

    # Field names as the wire spells them, where it differs (for the error messages).
    WIRE: ClassVar[Mapping[str, str]] = {}

    # (name, dotted path, rule) per field, worked out once per class: parsing is a hot path
    _CHECKS: ClassVar[tuple[tuple[str, str, Rule], ...]] = ()
    # the rules of every field in one function (`_fields_check`)
    _check_fields: ClassVar[Callable[[Any], None]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        rules = getattr(cls, "RULES", {})  # a class with its own __post_init__ may have none
        cls._CHECKS = tuple(
            (name, f"{cls.WHAT}.{cls.WIRE.get(name, name)}", rule) for name, rule in rules.items()
        )
        cls._check_fields = _fields_check(cls._CHECKS)

    def __post_init__(self) -> None:
        self._check_fields()
        self._check_together()

    def _check_together(self) -> None:
        """Rules that involve more than one field; raise `ProtocolError` on breach."""

    @classmethod
    def _checked(cls, **values: Any) -> Self:
        """An instance from values that already passed this class's rules elsewhere,
        in their canonical types (a compiled decoder's): the rules are not run again."""
        payload = object.__new__(cls)
        for name, value in values.items():
            object.__setattr__(payload, name, value)
        payload._check_together()
        return payload

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build from an already decoded JSON object (e.g. a web API body)."""
        return cls(**pick(data, cls.WHAT, cls.RULES, cls.ADDED))

    @classmethod
    def from_payload(cls, payload: bytes | str) -> Self:
        """Parse a raw MQTT payload through the whole gate: size, UTF-8, JSON, schema."""
        return cls.from_dict(decode_object(payload, cls.WHAT))

    def to_dict(self) -> dict[str, Any]:
        """The payload as a JSON-ready dict, keys in the contract's order."""
        data = {field.name: getattr(self, field.name) for field in fields(self)}  # type: ignore[arg-type]
        for name in self.OMIT_WHEN_NONE:
            if data[name] is None:
                del data[name]
        return data

    def to_payload(self) -> bytes:
        """Compact UTF-8 JSON, ready to publish."""
        return encode_json(self.to_dict(), self.WHAT)


def _fields_check(checks: tuple[tuple[str, str, Rule], ...]) -> Callable[[Any], None]:
    """What `__post_init__` does to a class's fields, written out as one function (as
    `dataclasses` writes `__init__`): each field's rule, run only for a value that fails
    the rule's canonical test (`fields.canonical_test`), which is written inline. A
    program's own readings (the simulator builds thousands a simulated day) then cost
    ~0.5 us for their checks instead of ~2.5 us for a loop calling each rule."""
    namespace: dict[str, Any] = {"setattr": object.__setattr__}
    lines = ["def check(self):"]
    for i, (name, path, rule) in enumerate(checks):
        namespace[f"rule_{i}"], namespace[f"path_{i}"] = rule, path
        apply = f"setattr(self, {name!r}, rule_{i}(v, path_{i}))"
        test = canonical_test(rule)
        lines.append(f"    v = self.{name}")
        lines.append(f"    if not ({test}):\n        {apply}" if test else f"    {apply}")
    lines.append("    return None")
    exec("\n".join(lines), namespace)  # our own text, from the class's rules
    return namespace["check"]
