"""The registry: every normalization by its key, in display order, and what derives from it.

`METHODS`, `METHOD_SPECS`, `DEFAULT_EPS` and `NO_BETA` are live views of the registry, never
written by hand: a method registered later (a test's throwaway method) appears in all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from contextlib import contextmanager
from types import MappingProxyType
from typing import Final, Literal, TypeVar, overload

from normgui.core.methods.base import Method

_METHODS: dict[str, Method] = {}

REGISTRY: Final[Mapping[str, Method]] = MappingProxyType(_METHODS)
"""key -> Method, in display order (read-only: use register / unregister)."""


def get_method(key: str) -> Method:
    """The method registered under `key`, or ValueError naming the ones there are."""
    method = _METHODS.get(key) if isinstance(key, str) else None
    if method is None:
        raise ValueError(f"unknown normalization {key!r}; choose one of: {', '.join(_METHODS)}")
    return method


def register(method: Method) -> Method:
    """Add `method` at the end of the display order; ValueError if its key is taken."""
    if method.key in _METHODS:
        raise ValueError(f"a normalization called {method.key!r} is already registered")
    _METHODS[method.key] = method
    return method


def unregister(key: str) -> None:
    """Remove the method registered under `key` (ValueError if there is none)."""
    get_method(key)
    del _METHODS[key]


@contextmanager
def registered(method: Method) -> Iterator[Method]:
    """`method` registered for the duration of a with-block (a test's throwaway method)."""
    register(method)
    try:
        yield method
    finally:
        unregister(method.key)


# --- views derived from the registry -------------------------------------------------------------

_V = TypeVar("_V")


class _Keys(Sequence[str]):
    """The registered keys, in display order."""

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return tuple(_METHODS)[index]

    def __len__(self) -> int:
        return len(_METHODS)

    def __iter__(self) -> Iterator[str]:
        return iter(tuple(_METHODS))

    def __contains__(self, key: object) -> bool:
        return key in _METHODS

    def __repr__(self) -> str:
        return repr(tuple(_METHODS))


class _Derived(Mapping[str, _V]):
    """key -> one field of each registered method."""

    def __init__(self, field: Callable[[Method], _V]) -> None:
        self._field = field

    def __getitem__(self, key: str) -> _V:
        return self._field(_METHODS[key])

    def __iter__(self) -> Iterator[str]:
        return iter(tuple(_METHODS))

    def __len__(self) -> int:
        return len(_METHODS)


class _Without(Set[str]):
    """The keys of the methods for which `test` is false."""

    def __init__(self, test: Callable[[Method], bool]) -> None:
        self._test = test

    def __contains__(self, key: object) -> bool:
        method = _METHODS.get(key) if isinstance(key, str) else None
        return method is not None and not self._test(method)

    def __iter__(self) -> Iterator[str]:
        return iter([k for k, m in tuple(_METHODS.items()) if not self._test(m)])

    def __len__(self) -> int:
        return sum(1 for _ in self)


METHODS: Final[Sequence[str]] = _Keys()
METHOD_SPECS: Final[Mapping[str, Method]] = REGISTRY
DEFAULT_EPS: Final[Mapping[str, float | Literal["dtype"] | None]] = _Derived(
    lambda m: m.default_eps
)
NO_BETA: Final[Set[str]] = _Without(lambda m: m.has_beta)
"""Methods without a shift parameter (torch.nn.RMSNorm has a weight but no bias)."""
