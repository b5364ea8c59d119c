"""Every normalization, one record each: the only place a method is defined.

A method is one module of this package holding a `METHOD` (see `base.Method`): its name,
description, formula and knobs, its default ε, whether it has β, the axis of its statistics,
its `statistics` and its vector–Jacobian product. Everything else — normalize, the inverse, the
explanation, the sensitivity, the panel — looks it up here and refuses what is not registered.
"""

from normgui.core.methods import (
    batchnorm,
    groupnorm,
    identity,
    l2,
    layernorm,
    maxabs,
    minmax,
    rmsnorm,
    robust,
    standardize,
)
from normgui.core.methods.base import Method, Stats
from normgui.core.methods.params import ACTIVATION_LABELS, PARAMS, MethodSpec, ParamSpec
from normgui.core.methods.registry import (
    DEFAULT_EPS,
    METHOD_SPECS,
    METHODS,
    NO_BETA,
    REGISTRY,
    get_method,
    register,
    registered,
    unregister,
)

# The display order of the panel's method list.
for _module in (
    identity,
    layernorm,
    rmsnorm,
    groupnorm,
    batchnorm,
    standardize,
    minmax,
    l2,
    robust,
    maxabs,
):
    register(_module.METHOD)

__all__ = [
    "ACTIVATION_LABELS",
    "DEFAULT_EPS",
    "METHODS",
    "METHOD_SPECS",
    "NO_BETA",
    "PARAMS",
    "REGISTRY",
    "Method",
    "MethodSpec",
    "ParamSpec",
    "Stats",
    "get_method",
    "register",
    "registered",
    "unregister",
]
