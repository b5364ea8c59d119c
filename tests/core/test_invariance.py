"""Invariance tables: Table 1 of the LayerNorm paper and the data-level table, both computed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from normgui.core.data_invariance import (
    DATA_TRANSFORM_KEYS,
    DATA_TRANSFORMS,
    data_invariance,
    data_invariance_cells,
    data_invariance_table,
    data_transform,
    default_data,
    table_kwargs,
)
from normgui.core.invariance import (
    PAPER_METHODS,
    PAPER_TRANSFORMS,
    InvarianceCell,
    LinearLayer,
    Perturbation,
    compare_outputs,
    invariance_cells,
    invariance_changes,
    invariance_table,
    paper_normalized,
)
from normgui.core.normalize import METHODS, normalize

COLUMNS = (
    "weight_matrix_rescaling",
    "weight_matrix_recentering",
    "weight_vector_rescaling",
    "dataset_rescaling",
    "dataset_recentering",
    "single_case_rescaling",
)


def _row(*flags: bool) -> dict[str, bool]:
    return dict(zip(COLUMNS, flags, strict=True))


# Ba, Kiros & Hinton (2016), Table 1: True = "Invariant", False = "No".
PAPER_TABLE_1 = {
    "batchnorm": _row(True, False, True, True, True, False),
    "weightnorm": _row(True, False, True, False, False, False),
    "layernorm": _row(True, True, False, True, False, True),
}

# The data-level table on default data, as it must come out (the keys in DATA_TRANSFORM_KEYS).
_KEYS = ("shift_sample", "scale_sample", "shift_dataset", "scale_dataset", "scale_feature")


def _data_row(*invariant_to: str) -> dict[str, bool | None]:
    assert set(invariant_to) <= set(_KEYS)
    return {k: k in invariant_to for k in _KEYS}


EXPECTED_DATA_TABLE = {
    "identity": _data_row(),
    "layernorm": _data_row("shift_sample", "scale_sample", "scale_dataset"),
    "rmsnorm": _data_row("scale_sample", "scale_dataset"),
    "groupnorm": _data_row("shift_sample", "scale_sample", "scale_dataset"),
    "batchnorm": _data_row("shift_dataset", "scale_dataset", "scale_feature"),
    "standardize": _data_row("shift_dataset", "scale_dataset", "scale_feature"),
    "minmax": _data_row("shift_dataset", "scale_dataset", "scale_feature"),
    "l2": _data_row("scale_sample", "scale_dataset"),
    "robust": _data_row("shift_dataset", "scale_dataset", "scale_feature"),
    "maxabs": _data_row("scale_dataset", "scale_feature"),
}


# ---------------------------------------------------------------------------------------------
# Table 1 of the paper
# ---------------------------------------------------------------------------------------------


def test_table_1_is_the_papers() -> None:
    assert invariance_table() == PAPER_TABLE_1
    assert list(invariance_table()) == list(PAPER_METHODS)
    assert tuple(t.key for t in PAPER_TRANSFORMS) == COLUMNS


@pytest.mark.parametrize("seed", range(25))
def test_table_1_holds_for_every_seed(seed: int) -> None:
    assert invariance_table(seed) == PAPER_TABLE_1


@pytest.mark.parametrize("seed", range(25))
def test_changes_are_rounding_where_invariant_and_large_elsewhere(seed: int) -> None:
    changes = invariance_changes(seed)
    for method, row in PAPER_TABLE_1.items():
        for key, invariant in row.items():
            if invariant:
                assert changes[method][key] < 1e-12, (method, key)
            else:
                assert changes[method][key] > 1e-2, (method, key)


def test_table_1_is_computed_not_constant() -> None:
    # The booleans agree across seeds, but the measured changes differ: they come from data.
    a, b = invariance_changes(0), invariance_changes(1)
    assert a["layernorm"]["weight_vector_rescaling"] != b["layernorm"]["weight_vector_rescaling"]
    assert a["batchnorm"]["single_case_rescaling"] != b["batchnorm"]["single_case_rescaling"]
    cells = invariance_cells(0)
    for method, row in cells.items():
        for key, cell in row.items():
            assert cell.applicable
            assert invariance_table(0)[method][key] is cell.invariant
            assert invariance_changes(0)[method][key] == cell.change


def test_a_negative_factor_breaks_the_rescaling_invariances() -> None:
    # The paper's re-scalings are by δ > 0: with δ < 0 a normalization by σ or ‖w‖ flips sign.
    rng = np.random.default_rng(3)
    layer = LinearLayer(rng.standard_normal((8, 5)), rng.standard_normal((6, 5)))
    p = Perturbation(delta=-2.0, shift=rng.standard_normal(5), unit=1, case=2)
    rescale = PAPER_TRANSFORMS[0]
    for method in PAPER_METHODS:
        before = paper_normalized(method, layer)
        after = paper_normalized(method, rescale.apply(layer, p))
        assert not compare_outputs(before, after).invariant
        np.testing.assert_allclose(after, -before, atol=1e-12)


def test_a_bias_before_layer_norm_would_break_single_case_invariance() -> None:
    # Why the experiment puts no bias inside a = xWᵀ (the paper's bias comes after normalizing).
    rng = np.random.default_rng(4)
    x, w, bias = rng.standard_normal((8, 5)), rng.standard_normal((6, 5)), rng.standard_normal(6)
    x2 = x.copy()
    x2[0] *= 2.0
    without = compare_outputs(
        normalize(x @ w.T, "layernorm", eps=0.0), normalize(x2 @ w.T, "layernorm", eps=0.0)
    )
    with_bias = compare_outputs(
        normalize(x @ w.T + bias, "layernorm", eps=0.0),
        normalize(x2 @ w.T + bias, "layernorm", eps=0.0),
    )
    assert without.invariant
    assert not with_bias.invariant


def test_weight_norm_divides_by_the_row_norm() -> None:
    x = np.array([[1.0, 2.0], [3.0, -1.0]])
    w = np.array([[3.0, 4.0], [0.0, 2.0]])
    out = paper_normalized("weightnorm", LinearLayer(x, w))
    np.testing.assert_allclose(out, np.array([[11 / 5, 2.0], [5 / 5, -1.0]]))
    with pytest.raises(ValueError, match="unknown method"):
        paper_normalized("groupnorm", LinearLayer(x, w))


def test_paper_transforms_do_not_modify_the_layer() -> None:
    rng = np.random.default_rng(5)
    layer = LinearLayer(rng.standard_normal((8, 5)), rng.standard_normal((6, 5)))
    x0, w0 = layer.x.copy(), layer.w.copy()
    p = Perturbation(delta=2.0, shift=np.ones(5), unit=0, case=0)
    for t in PAPER_TRANSFORMS:
        out = t.apply(layer, p)
        assert out.x.shape == x0.shape and out.w.shape == w0.shape
        assert t.label and t.description and "\n" not in t.description
    np.testing.assert_array_equal(layer.x, x0)
    np.testing.assert_array_equal(layer.w, w0)


# ---------------------------------------------------------------------------------------------
# The data-level table
# ---------------------------------------------------------------------------------------------


def test_data_table_on_default_data() -> None:
    assert default_data().shape == (6, 6)
    table = data_invariance_table()
    assert table == EXPECTED_DATA_TABLE
    assert list(table) == list(METHODS)


@pytest.mark.parametrize("seed", range(25))
def test_data_table_for_every_seed(seed: int) -> None:
    assert data_invariance_table(seed=seed) == EXPECTED_DATA_TABLE


def test_data_cells_changes_match_the_verdicts() -> None:
    for method, row in data_invariance_cells().items():
        for key, cell in row.items():
            assert cell.applicable and cell.note == ""
            if cell.invariant:
                assert cell.change < 1e-12, (method, key)
            else:
                assert cell.change > 1e-2, (method, key)
                assert cell.relative_change > 1e-3, (method, key)


def test_data_table_for_chosen_methods_and_data() -> None:
    x = np.array([[1.0, 2.0, 3.0, 4.0], [4.0, 5.0, 6.0, 9.0], [0.0, -1.0, 2.0, 1.0]])
    table = data_invariance_table(("layernorm", "batchnorm"), x)
    assert table == {m: EXPECTED_DATA_TABLE[m] for m in ("layernorm", "batchnorm")}


def test_data_transforms_are_described_and_leave_the_input_alone() -> None:
    assert tuple(t.key for t in DATA_TRANSFORMS) == _KEYS == DATA_TRANSFORM_KEYS
    x = default_data()
    x0 = x.copy()
    for t in DATA_TRANSFORMS:
        assert t.label and t.description and "\n" not in t.description
        out = t.apply(x)
        assert out.shape == x.shape and out.dtype == x.dtype
        assert not np.array_equal(out, x)
        assert data_transform(t.key) is t
    np.testing.assert_array_equal(x, x0)
    with pytest.raises(ValueError, match="unknown transformation"):
        data_transform("rotate")


def test_data_transforms_do_what_they_say() -> None:
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    np.testing.assert_array_equal(
        data_transform("shift_sample").apply(x), [[4.0, 5.0, 6.0], [4.0, 5.0, 6.0]]
    )
    np.testing.assert_array_equal(
        data_transform("scale_sample").apply(x), [[2.5, 5.0, 7.5], [4.0, 5.0, 6.0]]
    )
    np.testing.assert_array_equal(
        data_transform("shift_dataset").apply(x), [[2.0, 0.0, 6.0], [5.0, 3.0, 9.0]]
    )
    np.testing.assert_array_equal(data_transform("scale_dataset").apply(x), 2.5 * x)
    np.testing.assert_array_equal(
        data_transform("scale_feature").apply(x), [[2.5, 2.0, 3.0], [10.0, 5.0, 6.0]]
    )
    np.testing.assert_array_equal(data_transform("scale_dataset").apply(x, amount=-1.0), -x)


def test_data_transforms_on_one_row_and_on_a_vector() -> None:
    row = np.array([[1.0, 2.0, 3.0]])
    vector = np.array([1, 2, 3])
    for t in DATA_TRANSFORMS:
        assert t.apply(row).shape == (1, 3)
        out = t.apply(vector)
        assert out.shape == (3,) and out.dtype == np.float64
        np.testing.assert_array_equal(out, t.apply(row)[0])


def test_batchnorm_on_one_row_is_not_applicable_rather_than_an_error() -> None:
    x = np.array([[1.0, 2.0, 3.0, 4.0]])
    cells = data_invariance_cells(x=x)
    for cell in cells["batchnorm"].values():
        assert cell.invariant is None and not cell.applicable
        assert "at least two samples" in cell.note
        assert np.isnan(cell.change)
    assert data_invariance_table(x=x)["batchnorm"] == dict.fromkeys(_KEYS)
    # The per-sample methods still have answers on one sample.
    assert data_invariance_table(("layernorm",), x)["layernorm"] == EXPECTED_DATA_TABLE["layernorm"]
    for method in METHODS:
        if method != "batchnorm":
            assert all(cell.applicable for cell in cells[method].values()), method


def test_batchnorm_eval_mode_on_one_row_is_applicable() -> None:
    x = np.array([[1.0, 2.0, 3.0]])
    cells = data_invariance(x, "batchnorm", eps=0.0, training=False)
    assert all(cell.applicable for cell in cells.values())
    # Fixed running statistics make it an element-wise affine map: invariant to nothing.
    assert not any(cell.invariant for cell in cells.values())


def test_with_eps_layernorm_is_only_approximately_scale_invariant() -> None:
    x = default_data()
    exact = data_invariance(x, "layernorm", eps=0.0)
    approx = data_invariance(x, "layernorm")  # PyTorch's ε = 1e-5
    assert exact["scale_sample"].invariant
    assert not approx["scale_sample"].invariant
    assert 0.0 < approx["scale_sample"].change < 1e-3
    # Shifting does not touch the variance, so ε does not matter there.
    assert approx["shift_sample"].invariant


def test_table_uses_zero_eps_and_sensible_groups() -> None:
    assert table_kwargs("layernorm", 4) == {"eps": 0.0}
    assert table_kwargs("groupnorm", 6) == {"eps": 0.0, "groups": 2}
    # Never groups of two features: those normalize to (±1, ∓1) whatever the values.
    assert table_kwargs("groupnorm", 4) == {"eps": 0.0, "groups": 1}
    assert table_kwargs("groupnorm", 3) == {"eps": 0.0, "groups": 1}
    assert table_kwargs("batchnorm", 4) == {"eps": 0.0, "training": True}
    assert table_kwargs("minmax", 4) == {}
    table = data_invariance_table(("groupnorm",), default_data(shape=(5, 3)))
    assert table["groupnorm"] == EXPECTED_DATA_TABLE["groupnorm"]


def test_what_normalize_refuses_becomes_a_note() -> None:
    cells = data_invariance(default_data(shape=(6, 3)), "groupnorm", eps=0.0, groups=2)
    assert all(c.invariant is None and "groups" in c.note for c in cells.values())
    # Scaling numbers near the float limit overflows: reported, no warning escapes.
    huge = np.full((3, 2), 1e308)
    huge[0, 0] = -1e308
    cells = data_invariance(huge, "identity")
    assert cells["scale_dataset"].invariant is None
    assert "infinite" in cells["scale_dataset"].note
    assert cells["shift_sample"].applicable


def test_unknown_method_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown normalization"):
        data_invariance(default_data(), "zscore")


def test_minmax_is_invariant_to_positive_scaling_only() -> None:
    x = default_data()
    neg = data_transform("scale_dataset")
    before = normalize(x, "minmax")
    assert not compare_outputs(before, normalize(neg.apply(x, amount=-2.5), "minmax")).invariant
    assert compare_outputs(before, normalize(neg.apply(x, amount=0.5), "minmax")).invariant


def test_float32_data_uses_a_float32_tolerance() -> None:
    x = default_data().astype(np.float32)
    cells = data_invariance(x, "layernorm", eps=0.0)
    assert {k: c.invariant for k, c in cells.items()} == EXPECTED_DATA_TABLE["layernorm"]


def test_compare_outputs() -> None:
    a = np.array([[1.0, -2.0], [0.5, 0.0]])
    assert compare_outputs(a, a) == InvarianceCell(True, 0.0, 0.0)
    cell = compare_outputs(a, a + np.array([[0.0, 0.5], [0.0, 0.0]]))
    assert cell.invariant is False
    assert cell.change == 0.5 and cell.relative_change == pytest.approx(0.25)
    assert compare_outputs(np.zeros(3), np.zeros(3)).invariant
    assert compare_outputs(a, a * (1 + 1e-13)).invariant
    inf = np.array([np.inf, 1.0])
    assert compare_outputs(inf, inf).invariant
    assert not compare_outputs(inf, np.array([np.inf, 2.0])).invariant
    assert compare_outputs(inf, np.array([np.inf, 2.0])).note
    with pytest.raises(ValueError, match="shapes"):
        compare_outputs(a, a[0])


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

_values = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    x=st.integers(1, 6).flatmap(
        lambda n: st.integers(2, 7).flatmap(lambda d: arrays(np.float64, (n, d), elements=_values))
    ),
    row=st.integers(0, 5),
    shift=_values,
    scale=st.floats(0.01, 100.0),
)
def test_layernorm_ignores_a_shift_and_a_positive_scale_of_a_row(
    x: np.ndarray, row: int, shift: float, scale: float
) -> None:
    row %= x.shape[0]
    peak = max(1.0, float(np.max(np.abs(x[row]))), abs(shift))
    # Rows that are not (nearly) constant: otherwise rounding noise is all that is normalized.
    assume(float(np.min(np.std(x, axis=1))) > 1e-3 * peak)
    moved = x.copy()
    moved[row] = (moved[row] + shift) * scale
    before = normalize(x, "layernorm", eps=0.0)
    after = normalize(moved, "layernorm", eps=0.0)
    np.testing.assert_allclose(after, before, rtol=0, atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(
    x=st.integers(2, 7).flatmap(
        lambda n: st.integers(1, 6).flatmap(lambda d: arrays(np.float64, (n, d), elements=_values))
    ),
    data=st.data(),
)
def test_batchnorm_ignores_a_per_feature_shift_of_the_dataset(
    x: np.ndarray, data: st.DataObject
) -> None:
    shift = data.draw(arrays(np.float64, (x.shape[1],), elements=_values))
    peak = max(1.0, float(np.max(np.abs(x))), float(np.max(np.abs(shift))))
    assume(float(np.min(np.std(x, axis=0))) > 1e-3 * peak)
    before = normalize(x, "batchnorm", eps=0.0, training=True)
    after = normalize(x + shift, "batchnorm", eps=0.0, training=True)
    np.testing.assert_allclose(after, before, rtol=0, atol=1e-9)


@settings(max_examples=100, deadline=None)
# Distinct values: a row or column of equal ones (which the assumptions below leave out) would
# otherwise be drawn so often that Hypothesis gives up on the test.
@given(x=arrays(np.float64, (4, 5), elements=_values, unique=True))
def test_data_invariance_agrees_with_the_properties(x: np.ndarray) -> None:
    peak = max(3.0, float(np.max(np.abs(x))))
    assume(float(np.min(np.std(x, axis=1))) > 1e-3 * peak)
    assume(float(np.min(np.std(x, axis=0))) > 1e-3 * peak)
    layer = data_invariance(x, "layernorm", eps=0.0)
    batch = data_invariance(x, "batchnorm", eps=0.0)
    assert layer["shift_sample"].invariant and layer["scale_sample"].invariant
    assert batch["shift_dataset"].invariant and batch["scale_feature"].invariant
