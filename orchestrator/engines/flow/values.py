"""Abstract values of the flow engine: which protected attributes and proxies a value carries.

A :class:`Value` is what the engine knows of a Python value: the attributes it carries (each a
:class:`Tag`, with the place it came from), whether it also carries other data (a feature matrix
with ``sex`` among its columns, as opposed to the ``sex`` column alone), and the trail of places
it went through (the code flow a finding shows).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Steps of a trail kept on a value: the source, then the latest steps (a flow across many
#: assignments shows where it started and where it ended).
MAX_TRAIL = 8


@dataclass(frozen=True, order=True)
class Step:
    """A place in the repository: display path, 1-based line and column, end of the expression."""

    path: str
    line: int
    col: int = 1
    end_line: int = 0
    end_col: int = 1


@dataclass(frozen=True, order=True)
class Tag:
    """One attribute a value carries: the vocabulary term (``sex``, ``marital status``), its
    kind (``protected`` or ``proxy``), and where the engine first saw it."""

    attr: str
    kind: str
    origin: Step = field(compare=False, hash=False, default=Step("", 0))
    via: str = field(compare=False, hash=False, default="column")  # column, name or schema


@dataclass(frozen=True)
class Value:
    tags: frozenset[Tag] = frozenset()
    other: bool = False  # carries data besides the tagged attributes (a multi-column table)
    trail: tuple[Step, ...] = ()
    binary_map: bool = False  # a mapping/encoding of exactly two values ({"F": 0, "M": 1})
    strings: tuple[str, ...] = ()  # string constants it holds (column names, category values)
    reported: bool = False  # already reported as a model input (later sinks of it stay quiet)

    @property
    def tainted(self) -> bool:
        return bool(self.tags)

    def attrs(self, kind: str | None = None) -> tuple[str, ...]:
        return tuple(sorted({t.attr for t in self.tags if kind is None or t.kind == kind}))

    def of_kind(self, kind: str) -> "Value":
        return Value(frozenset(t for t in self.tags if t.kind == kind), self.other, self.trail)

    def without(self, attrs: set[str]) -> "Value":
        """The value with the named attributes removed (``drop(columns=[...])``)."""
        return Value(frozenset(t for t in self.tags if t.attr not in attrs), self.other, self.trail,
                     strings=self.strings, reported=self.reported)

    def step(self, where: Step) -> "Value":
        """The value having passed ``where`` (kept only while it carries something)."""
        if not self.tags or (self.trail and self.trail[-1] == where):
            return self
        trail = self.trail + (where,)
        if len(trail) > MAX_TRAIL:
            trail = trail[:1] + trail[-(MAX_TRAIL - 1):]
        return Value(self.tags, self.other, trail, self.binary_map, self.strings, self.reported)

    def as_reported(self) -> "Value":
        return Value(self.tags, self.other, self.trail, self.binary_map, self.strings, True)

    def with_other(self, other: bool) -> "Value":
        return Value(self.tags, other, self.trail, self.binary_map, self.strings, self.reported)


EMPTY = Value()
UNKNOWN_DATA = Value(other=True)


def join(*values: Value) -> Value:
    """What an expression built from ``values`` carries: every tag, other data if any has it,
    and the trail of the first value that carries something."""
    tags: set[Tag] = set()
    other = False
    trail: tuple[Step, ...] = ()
    strings: list[str] = []
    reported = bool(values) and all(v.reported for v in values if v.tags) and any(v.tags for v in values)
    for v in values:
        tags |= v.tags
        other = other or v.other
        if not trail and v.tags:
            trail = v.trail
        strings.extend(v.strings)
    return Value(frozenset(tags), other, trail, strings=tuple(dict.fromkeys(strings))[:64], reported=reported)
