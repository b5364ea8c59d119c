"""The explain pane's lines: the example of the issue by hand, and every method's numbers against
compute(), so that what the pane says is what the plots show."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from normgui.core.activations import ACTIVATIONS
from normgui.core.explain import explain
from normgui.core.normalize import METHODS, RunningStats
from normgui.core.pipeline import compute
from normgui.core.state import State

BATCH = np.random.default_rng(11).normal(1.0, 2.0, (5, 4)).round(2)


def texts(state: State, **kwargs: object) -> dict[str, str]:
    return {line.key: line.text for line in explain(state, **kwargs).lines}  # type: ignore[arg-type]


def test_layernorm_example_of_the_issue() -> None:
    lines = texts(State(inputs_a=[[1.0, 2.0, 3.0, 4.0]], selected_feature=2))
    assert lines["mean"] == "μ = (1 + 2 + 3 + 4)/4 = 2.5"
    assert lines["var"] == "σ² = ((1 − 2.5)² + (2 − 2.5)² + (3 − 2.5)² + (4 − 2.5)²)/4 = 1.25"
    assert lines["xhat"] == "x̂₃ = (3 − 2.5)/√(1.25 + 1e-05) = 0.4472"
    assert lines["y"] == "y₃ = γ·x̂₃ + β = 1·0.4472 + 0 = 0.4472"
    assert lines["act"] == "σ(y₃) = 1/(1 + e^(−0.4472)) = 0.6100"
    assert lines["grad"] == "σ′(y₃) = 0.6100·0.3900 = 0.2379"
    assert lines["regime"].startswith("y₃ = 0.4472 is in the linear regime")


def test_title_and_values() -> None:
    result = explain(State(inputs_a=[[1.0, 2.0, 3.0, 4.0]], selected_feature=2))
    assert result.title == "LayerNorm · A, sample 1 of 1, element 3 of 4"
    assert result.value("mean") == 2.5
    assert result.value("var") == 1.25
    assert result.value("xhat") == pytest.approx(0.4472118, abs=1e-7)
    assert result.value("act") == pytest.approx(0.6099761, abs=1e-7)
    with pytest.raises(KeyError):
        result.line("median")


def test_rmsnorm_has_no_beta() -> None:
    lines = texts(State(inputs_a=[[1.0, 2.0, 3.0, 4.0]], method="rmsnorm", gamma=2.0))
    assert lines["ms"] == "mean(x²) = (1² + 2² + 3² + 4²)/4 = 7.5"
    assert lines["xhat"] == "x̂₁ = 1/2.7386 = 0.3651"
    assert lines["y"] == "y₁ = γ·x̂₁ = 2·0.3651 = 0.7303"


def test_negative_numbers_read_as_written() -> None:
    lines = texts(State(inputs_a=[[-1.0, 2.0, -3.0, 4.0]], selected_feature=2, beta=-0.5))
    assert lines["mean"] == "μ = (−1 + 2 − 3 + 4)/4 = 0.5"
    assert lines["xhat"].startswith("x̂₃ = (−3 − 0.5)/√(")
    assert " − 0.5 = " in lines["y"]  # y = γ·x̂ + β with β = −0.5
    assert "·(−" in lines["y"]  # a negative factor in brackets


def test_long_samples_are_shortened() -> None:
    lines = texts(State(inputs_a=[np.arange(1.0, 101.0)]))
    assert lines["mean"] == "μ = (1 + 2 + 3 + … + 100)/100 = 50.5"
    assert lines["x"] == "x = [1, 2, 3, …, 100]"


def test_groupnorm_names_the_group() -> None:
    lines = texts(
        State(
            inputs_a=[[1.0, 2.0, 3.0, 4.0, 5.0, 9.0]],
            method="groupnorm",
            groups=2,
            selected_feature=4,
        )
    )
    assert lines["group"] == "group 2 of 2: x₄…x₆ = [4, 5, 9]"
    assert lines["mean"] == "μ_g = (4 + 5 + 9)/3 = 6"


def test_column_methods_show_the_batch() -> None:
    state = State(
        inputs_a=[[1.0, 10.0], [3.0, 20.0], [8.0, 30.0]], method="minmax", selected_sample=1
    )
    lines = texts(state)
    assert lines["column"] == "x₁ over the 3 samples of A = [1, 3, 8]"
    assert lines["xhat"] == "x̂₁ = 0 + (3 − 1)·(1 − 0)/7 = 0.2857"
    joint = texts(state.replace(inputs_b=[[0.0, 0.0]], compare=True, method="batchnorm"))
    assert joint["column"] == "x₁ over the 4 samples of A and B (one batch) = [1, 3, 8, 0]"


def test_batchnorm_eval_names_the_running_statistics() -> None:
    running = RunningStats(np.array([0.5, 1.0]), np.array([4.0, 0.25]), 3)
    state = State(
        inputs_a=[[1.0, 2.0]], method="batchnorm", training=False, running_history=(running,)
    )
    lines = texts(state)
    assert lines["mean"] == "μ₁ = 0.5 (running, after 3 steps)"
    assert lines["xhat"] == "x̂₁ = (1 − 0.5)/√(4 + 1e-05) = 0.2500"


def test_the_input_transform_comes_first() -> None:
    result = explain(State(inputs_a=[[1.0, 2.0]], input_scale=2.0, input_shift=-1.0))
    assert result.lines[0].key == "input"
    assert result.lines[0].text == "x₁ = 2·1 − 1 = 1"


def test_per_feature_gamma_is_subscripted() -> None:
    state = State(
        inputs_a=[[1.0, 2.0, 3.0]],
        per_feature=True,
        gamma_features=(1.0, 3.0, 1.0),
        beta_features=(0.0, 0.5, 0.0),
        selected_feature=1,
    )
    assert texts(state)["y"] == "y₂ = γ₂·x̂₂ + β₂ = 3·0 + 0.5 = 0.5000"


def test_a_batch_of_one_in_training_mode_says_why() -> None:
    result = explain(State(inputs_a=[[1.0, 2.0]], method="batchnorm"))
    assert result.value("xhat") == 0.0
    assert any("batch of one" in n for n in result.notes)


# --- against the pipeline --------------------------------------------------------------------


def check_against_compute(state: State, which: str = "A") -> None:
    frame = compute(state)
    series = frame.a if which == "A" else frame.b
    assert series is not None
    result = explain(state, which)  # type: ignore[arg-type]
    i, j = (
        min(state.selected_sample, series.raw.shape[0] - 1),
        min(state.selected_feature, series.raw.shape[1] - 1),
    )
    assert result.value("xhat") == pytest.approx(float(series.normalized[i, j]), abs=1e-12)
    assert result.value("y") == pytest.approx(float(series.affine[i, j]), rel=1e-12, abs=1e-12)
    assert result.value("act") == pytest.approx(float(series.activated[i, j]), abs=1e-12)
    assert result.value("grad") == pytest.approx(float(series.grad[i, j]), abs=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_matches_compute(method: str) -> None:
    for sample, feature in ((0, 0), (2, 3), (4, 1)):
        state = State(
            inputs_a=BATCH,
            method=method,
            gamma=1.5,
            beta=-0.25,
            selected_sample=sample,
            selected_feature=feature,
        )
        check_against_compute(state)


@pytest.mark.parametrize("method", METHODS)
def test_statistics_match_the_data(method: str) -> None:
    state = State(inputs_a=BATCH, method=method, selected_sample=1, selected_feature=2)
    result = explain(state)
    row, col = BATCH[1], BATCH[:, 2]
    expected = {
        "layernorm": {"mean": row.mean(), "var": row.var()},
        "rmsnorm": {"ms": np.mean(row**2)},
        "l2": {"norm": np.linalg.norm(row)},
        "batchnorm": {"mean": col.mean(), "var": col.var()},
        "standardize": {"mean": col.mean(), "var": col.var(), "std": col.std()},
        "minmax": {"min": col.min(), "max": col.max()},
        "robust": {"median": np.median(col), "iqr": np.subtract(*np.percentile(col, [75, 25]))},
        "maxabs": {"maxabs": np.max(np.abs(col))},
        "groupnorm": {"mean": row[2:].mean(), "var": row[2:].var()},
    }.get(method, {})
    for key, value in expected.items():
        assert result.value(key) == pytest.approx(float(value), rel=1e-12), key


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_activation_matches_compute(activation: str) -> None:
    check_against_compute(State(inputs_a=BATCH, activation=activation, gamma=4.0, beta=1.0))


def test_b_and_a_joint_batch_match_compute() -> None:
    b = BATCH[:2] * 3.0
    for method in ("batchnorm", "robust", "layernorm"):
        state = State(inputs_a=BATCH, inputs_b=b, compare=True, method=method, selected_sample=1)
        check_against_compute(state, "B")
        check_against_compute(state, "A")


@settings(max_examples=80, deadline=None)
@given(
    data=arrays(
        np.float64, st.tuples(st.integers(2, 5), st.integers(1, 6)), elements=st.floats(-1e4, 1e4)
    ),
    method=st.sampled_from(METHODS),
    sample=st.integers(0, 6),
    feature=st.integers(0, 7),
    eps=st.one_of(st.none(), st.floats(0.0, 1.0)),
)
def test_any_state_matches_compute(
    data: np.ndarray, method: str, sample: int, feature: int, eps: float | None
) -> None:
    state = State(
        inputs_a=data,
        method=method,
        selected_sample=sample,
        selected_feature=feature,
        eps=eps,
        gamma=0.7,
        beta=0.1,
    )
    check_against_compute(state)
    assert all(line.text for line in explain(state).lines)
