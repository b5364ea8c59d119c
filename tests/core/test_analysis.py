"""The numbers of the analysis tabs: A vs B by stage, invariance rows for the State, the
transformed B, running statistics, training vs eval outputs."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from normgui.core.analysis import (
    STAGES,
    compare_summary,
    invariance_rows_used,
    not_comparable,
    paper_rows,
    running_history_table,
    stage_differences,
    state_invariance,
    train_eval,
    transform_changes,
)
from normgui.core.context import sample_context, selection
from normgui.core.data_invariance import DATA_TRANSFORMS, data_transform
from normgui.core.invariance import invariance_table
from normgui.core.normalize import METHODS, RunningStats, update_running_stats
from normgui.core.pipeline import compute
from normgui.core.state import State

LN_A = [[1.0, 2.0, 3.0, 4.0]]
LN_B = [[4.0, 5.0, 6.0, 7.0]]

# --- A vs B ----------------------------------------------------------------------------------


def test_layernorm_makes_a_shifted_vector_indistinguishable() -> None:
    frame = compute(State(inputs_a=LN_A, inputs_b=LN_B, compare=True))
    diffs = stage_differences(frame)
    assert list(diffs) == list(STAGES)
    max_abs, relative, same = diffs["raw"]  # unpacks as the tuple the tab shows
    assert (max_abs, relative, same) == (3.0, pytest.approx(3 / 7), False)
    for stage in ("normalized", "affine", "activated"):
        assert diffs[stage].indistinguishable
        assert diffs[stage].max_abs <= 1e-12
    assert "indistinguishable from the normalized stage on" in compare_summary(diffs)
    assert "Wx" in compare_summary(diffs, "layernorm")
    assert "Wx" not in compare_summary(diffs, "standardize")


def test_batchnorm_over_a_and_b_tells_them_apart() -> None:
    frame = compute(State(inputs_a=LN_A, inputs_b=LN_B, compare=True, method="batchnorm"))
    diffs = stage_differences(frame)
    # One batch of two: every feature is [x, x + 3], so x̂ = ∓3/√(2.25 + ε) ≈ ∓1.
    assert diffs["normalized"].max_abs == pytest.approx(2 * 1.5 / math.sqrt(2.25 + 1e-5))
    assert not any(d.indistinguishable for d in diffs.values())
    assert "tell them apart" in compare_summary(diffs)


def test_gamma_and_beta_keep_the_relative_scale() -> None:
    frame = compute(State(inputs_a=LN_A, inputs_b=[[1.0, 2.0, 3.0, 5.0]], compare=True, gamma=10))
    diffs = stage_differences(frame)
    assert diffs["affine"].max_abs == pytest.approx(10 * diffs["normalized"].max_abs)
    assert diffs["affine"].relative == pytest.approx(diffs["normalized"].relative)


def test_a_and_b_must_be_compared_value_by_value() -> None:
    off = compute(State(inputs_a=LN_A, inputs_b=LN_B))
    assert stage_differences(off) == {}
    assert "Compare" in (not_comparable(off) or "")
    shapes = compute(State(inputs_a=LN_A, inputs_b=[[1.0, 2.0], [3.0, 4.0]], compare=True))
    assert stage_differences(shapes) == {}
    assert "1×4 and B is 2×2" in (not_comparable(shapes) or "")
    assert compare_summary({}) == ""


# --- invariances -----------------------------------------------------------------------------


def test_paper_rows_are_table_1() -> None:
    rows = paper_rows()
    assert [r.key for r in rows][:2] == ["weight_matrix_rescaling", "weight_matrix_recentering"]
    table = invariance_table()
    for row in rows:
        assert {m: bool(c.invariant) for m, c in row.cells.items()} == {
            m: table[m][row.key] for m in table
        }
    # the paper: layer norm is invariant to re-centering the weight matrix, batch norm is not
    assert rows[1].cells["layernorm"].invariant and not rows[1].cells["batchnorm"].invariant


def test_layernorm_with_epsilon_is_only_nearly_scale_invariant() -> None:
    rows = {r.key: r for r in state_invariance(State(inputs_a=LN_A))}
    assert rows["shift_sample"].verdict == "invariant"
    assert rows["shift_sample"].text == "✓ invariant"
    scale = rows["scale_sample"]
    assert scale.verdict == "nearly"
    assert scale.exact is not None and scale.exact.invariant
    assert 1e-7 < scale.cell.change < 1e-4
    assert scale.text.startswith("≈ invariant: only ε changes the output, by up to ")
    assert rows["scale_feature"].verdict == "changes"
    assert rows["scale_feature"].text.startswith("✗ changes the output by up to ")
    exact = {r.key: r.verdict for r in state_invariance(State(inputs_a=LN_A, eps=0.0))}
    assert exact["scale_sample"] == exact["scale_dataset"] == "invariant"


def test_standardize_is_invariant_per_feature_but_not_per_sample() -> None:
    data = np.random.default_rng(1).normal(size=(6, 4))
    rows = {r.key: r.verdict for r in state_invariance(State(inputs_a=data, method="standardize"))}
    assert rows == {
        "shift_sample": "changes",
        "scale_sample": "changes",
        "shift_dataset": "invariant",
        "scale_dataset": "invariant",
        "scale_feature": "invariant",
    }


def test_large_data_is_asked_about_its_first_samples() -> None:
    data = np.random.default_rng(4).normal(size=(100, 10))
    state = State(inputs_a=data, method="standardize")
    assert invariance_rows_used(state) == 100
    assert invariance_rows_used(state, max_values=300) == 30
    small = state_invariance(state, max_values=300)
    first = state_invariance(state.replace(inputs_a=data[:30]))
    assert [r.cell.change for r in small] == [r.cell.change for r in first]


def test_a_batch_of_one_cannot_be_asked_in_training_mode() -> None:
    rows = state_invariance(State(inputs_a=LN_A, method="batchnorm"))
    assert all(r.verdict == "n/a" for r in rows)
    assert "two samples" in rows[0].text


def test_invariance_uses_the_data_after_the_input_transform() -> None:
    # A constant input shift changes nothing for LayerNorm; the table must not differ.
    plain = state_invariance(State(inputs_a=LN_A, eps=0.0))
    shifted = state_invariance(State(inputs_a=LN_A, eps=0.0, input_shift=5.0))
    assert [r.verdict for r in plain] == [r.verdict for r in shifted]


@pytest.mark.parametrize("key", [t.key for t in DATA_TRANSFORMS])
def test_transform_changes_put_the_transformed_a_into_b(key: str) -> None:
    data = np.random.default_rng(2).normal(size=(3, 4))
    state = State(inputs_a=data, method="batchnorm", input_scale=2.0, input_shift=-1.0)
    changes = transform_changes(state, key)
    assert changes["compare"] is True
    assert changes["stats_source"] == "each"  # B gets statistics of its own
    frame = compute(state.replace(**changes))
    assert frame.b is not None
    # What the normalization sees of B is the transformed A, after the same input transform.
    np.testing.assert_allclose(frame.b.raw, data_transform(key).apply(frame.a.raw), rtol=1e-12)


def test_transform_changes_keep_the_statistics_source_of_row_methods() -> None:
    changes = transform_changes(State(inputs_a=LN_A), "scale_sample")
    assert "stats_source" not in changes
    np.testing.assert_array_equal(changes["inputs_b"], [[2.5, 5.0, 7.5, 10.0]])


def test_the_table_of_the_state_agrees_with_the_plots() -> None:
    """A row says 'invariant' exactly when B = transformed A normalizes to what A does."""
    data = np.random.default_rng(3).normal(size=(5, 6))
    for method in METHODS:
        state = State(inputs_a=data, method=method, eps=None)
        for row in state_invariance(state):
            if row.verdict == "n/a":
                continue
            frame = compute(state.replace(**transform_changes(state, row.key)))
            assert frame.b is not None
            change = float(np.max(np.abs(frame.b.normalized - frame.a.normalized)))
            assert change == pytest.approx(row.cell.change, rel=1e-9, abs=1e-15), (method, row.key)


# --- running statistics ------------------------------------------------------------------------


def _stepped(data: list[list[float]], steps: int, momentum: float = 0.1) -> State:
    history: list[RunningStats] = []
    stats = RunningStats.initial(len(data[0]))
    for _ in range(steps):
        stats = update_running_stats(stats, data, momentum)
        history.append(stats)
    return State(inputs_a=data, method="batchnorm", running_history=tuple(history))


def test_running_history_by_hand() -> None:
    # A = [[1, 2], [3, 6]]: mean [2, 4], unbiased variance [2, 8], biased [1, 4].
    # Step 1 (m = 0.1): mean 0.1·[2, 4] = [0.2, 0.4]; var 0.9·1 + 0.1·[2, 8] = [1.1, 1.7].
    # Step 2: mean 0.9·[0.2, 0.4] + [0.2, 0.4] = [0.38, 0.76]; var [1.19, 2.33].
    table = running_history_table(_stepped([[1.0, 2.0], [3.0, 6.0]], 2))
    np.testing.assert_array_equal(table.steps, [0, 1, 2])
    np.testing.assert_allclose(table.mean, [[0, 0], [0.2, 0.4], [0.38, 0.76]])
    np.testing.assert_allclose(table.var, [[1, 1], [1.1, 1.7], [1.19, 2.33]])
    np.testing.assert_allclose(table.data_mean, [2, 4])
    np.testing.assert_allclose(table.data_var, [2, 8])
    np.testing.assert_allclose(table.batch_var, [1, 4])
    assert table.note == ""


def test_running_history_approaches_the_data() -> None:
    table = running_history_table(_stepped([[1.0, 2.0], [3.0, 6.0]], 200, momentum=0.1))
    np.testing.assert_allclose(table.mean[-1], table.data_mean, rtol=1e-8)
    np.testing.assert_allclose(table.var[-1], table.data_var, rtol=1e-8)


def test_steps_of_another_width_are_left_out() -> None:
    old = _stepped([[1.0, 2.0, 3.0], [2.0, 2.0, 2.0]], 2).running_history
    new = _stepped([[1.0, 2.0], [3.0, 6.0]], 1).running_history
    state = State(inputs_a=[[1.0, 2.0], [3.0, 6.0]], running_history=old + new)
    table = running_history_table(state)
    assert table.steps.tolist() == [0, 1]
    assert "2 earlier step(s)" in table.note
    one = running_history_table(State(inputs_a=LN_A))
    assert np.isnan(one.data_var).all() and "batch of one" in one.note


def test_train_and_eval_outputs_match_the_pipeline() -> None:
    state = _stepped([[1.0, 2.0], [3.0, 6.0], [0.0, 1.0]], 3).replace(
        selected_sample=1, gamma=2.0, beta=0.5
    )
    outputs = train_eval(state)
    assert outputs.sample == 1
    train_frame = compute(state.replace(training=True))
    eval_frame = compute(state.replace(training=False))
    assert outputs.train is not None
    np.testing.assert_allclose(outputs.train, train_frame.a.affine[1], rtol=1e-12)
    np.testing.assert_allclose(outputs.eval, eval_frame.a.affine[1], rtol=1e-12)


def test_train_by_hand_and_a_batch_of_one() -> None:
    # A = [[1, 2], [3, 6]], fresh buffers: training (1 − 2)/√(1 + ε), eval (1 − 0)/√(1 + ε).
    outputs = train_eval(State(inputs_a=[[1.0, 2.0], [3.0, 6.0]], method="batchnorm"))
    assert outputs.train is not None
    assert outputs.train[0] == pytest.approx(-1 / math.sqrt(1 + 1e-5))
    assert outputs.eval[0] == pytest.approx(1 / math.sqrt(1 + 1e-5))
    single = train_eval(State(inputs_a=LN_A, method="batchnorm"))
    assert single.train is None and "two samples" in single.note


# --- the selected sample ---------------------------------------------------------------------


def test_selection_is_clamped_to_the_data() -> None:
    state = State(inputs_a=[[1.0, 2.0], [3.0, 4.0]], selected_sample=9, selected_feature=7)
    assert selection(state) == (1, 1)
    ctx = sample_context(state)
    assert (ctx.sample, ctx.feature) == (1, 1)
    with pytest.raises(ValueError, match="Compare"):
        sample_context(state, "B")


@settings(max_examples=60, deadline=None)
@given(
    a=arrays(np.int64, (3, 4), elements=st.integers(-100, 100)),
    shift=st.integers(-50, 50),
)
def test_shifting_a_sample_is_invisible_to_layernorm(a: np.ndarray, shift: int) -> None:
    """For every input, LayerNorm maps A and A + c to indistinguishable stages after raw
    (the property behind [1, 2, 3, 4] vs [4, 5, 6, 7]). Whole numbers, so that A + c is exact:
    with floats, 1e-306 + 1 == 1 and B would not be A shifted."""
    frame = compute(State(inputs_a=a, inputs_b=a + shift, compare=True, eps=1.0))
    diffs = stage_differences(frame, rtol=1e-7)
    assert diffs["normalized"].indistinguishable


def test_the_analysis_core_loads_no_qt() -> None:
    script = (
        "import sys\n"
        "from normgui.core import analysis, explain, sensitivity\n"
        "from normgui.core.state import State\n"
        "state = State(inputs_a=[[1.0, 2.0], [3.0, 5.0]], method='batchnorm')\n"
        "analysis.state_invariance(state); explain.explain(state); sensitivity.jacobian(state)\n"
        "print(','.join(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
