"""Lecture scenes: prepared demonstrations, each answering one question, read from
resources/scenes.

A scene file is JSON:

    {"format": "normgui-scene", "version": 1,
     "id": "layernorm-same", "title": "…", "caption": "two to four short sentences",
     "state": {…part of a session's "state"; the rest keeps its default…},
     "readouts": ["ab_difference"],            (optional: live lines under the caption)
     "plots": ["activation", "stages"],        (optional: the plots presentation mode shows)
     "running_steps": 0,                       (optional: Steps of BatchNorm's running statistics)
     "animation": {"segments": [{"param": "gamma", "from": 1, "to": 5, "seconds": 3}, …],
                   "loop": false},             (optional: what Play sweeps)
     "training": {"preset": "ioffe-szegedy-figure1", "summary": ["accuracy"], "layer": -1}}
                                               (optional: a Training page scene, see below)

A training scene trains a shipped training preset (resources/training) on the Training page,
and says under its caption the summaries it names (normgui.core.training.summary), with the
numbers of the run itself.

Scenes are shown in the order of their file names. Everything is validated when read: a broken
file gives a SceneError naming the file and the field, never a half-made scene. No Qt here.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Final

from normgui.core.inverse import scaled_inputs
from normgui.core.normalize import update_running_stats
from normgui.core.readouts import READOUTS, number
from normgui.core.state import State
from normgui.core.training.scene import TrainingScene, training_scene
from normgui.session import FORMAT as SESSION_FORMAT
from normgui.session import VERSION as SESSION_VERSION
from normgui.session import SessionError, from_dict, to_dict

FORMAT: Final = "normgui-scene"
VERSION: Final = 1
SUFFIX: Final = ".json"
MAX_FILE_BYTES: Final = 1024 * 1024  # a scene is a few numbers and sentences
MAX_RUNNING_STEPS: Final = 1000
MAX_SEGMENT_SECONDS: Final = 120.0
# The parameters Play can sweep, with how they are written.
ANIMATABLE: Final = {
    "gamma": "γ",
    "beta": "β",
    "eps": "ε",
    "input_scale": "input scale",
    "input_shift": "input shift",
}
_ID: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEYS: Final = frozenset(
    {
        "format",
        "version",
        "id",
        "title",
        "caption",
        "state",
        "readouts",
        "running_steps",
        "animation",
        "plots",
        "training",
    }
)
# The plots by name, in their usual order: the one list of them. Scenes ask presentation mode
# for some (PlotArea.arrange); the plot area (normgui.qt.plots) makes one of each, in order.
PLOTS: Final = ("activation", "gradient", "stages", "distributions")


class SceneError(ValueError):
    """A scene file that cannot be used, with what is wrong and where."""


@dataclass(frozen=True)
class Segment:
    """One parameter swept from `start` to `end` over `seconds`.

    ε is swept geometrically (it spans powers of ten); the others linearly.
    """

    param: str
    start: float
    end: float
    seconds: float

    def __post_init__(self) -> None:
        if self.param not in ANIMATABLE:
            raise ValueError(
                f"cannot animate {self.param!r}; choose one of: {', '.join(ANIMATABLE)}"
            )
        for value in (self.start, self.end, self.seconds):
            if not math.isfinite(value):
                raise ValueError("the values of an animation must be finite numbers")
        if not 0.0 < self.seconds <= MAX_SEGMENT_SECONDS:
            raise ValueError(
                f"an animation lasts more than 0 and at most {MAX_SEGMENT_SECONDS:g} s"
            )
        if self.param == "eps" and (self.start <= 0.0 or self.end <= 0.0):
            raise ValueError("ε is swept on a log scale: both ends must be greater than 0")

    @property
    def symbol(self) -> str:
        return ANIMATABLE[self.param]

    def value(self, fraction: float) -> float:
        """The value at `fraction` (0 to 1, clamped) of the way; exactly the ends at 0 and 1."""
        f = min(1.0, max(0.0, fraction))
        if f == 0.0:
            return self.start
        if f == 1.0:
            return self.end
        if self.param == "eps":
            return self.start * (self.end / self.start) ** f
        return self.start + (self.end - self.start) * f

    def describe(self) -> str:
        return f"{self.symbol} {number(self.start, 4)} → {number(self.end, 4)}"


@dataclass(frozen=True)
class Sweep:
    """Segments played one after the other, once or back and forth in a loop."""

    segments: tuple[Segment, ...]
    loop: bool = False

    def __post_init__(self) -> None:
        if not self.segments:
            raise ValueError("an animation needs at least one segment")

    @property
    def duration(self) -> float:
        """Seconds from the first value to the last (one way)."""
        return sum(s.seconds for s in self.segments)

    def finished(self, elapsed: float) -> bool:
        return not self.loop and elapsed >= self.duration

    def values_at(self, elapsed: float) -> dict[str, float]:
        """Every swept parameter's value `elapsed` seconds after Play: earlier segments at
        their end, later ones at their start. A loop goes there and back again, so it never
        jumps."""
        t = max(0.0, elapsed)
        if self.loop:
            period = 2.0 * self.duration
            t %= period
            if t > self.duration:
                t = period - t
        t = min(t, self.duration)
        values: dict[str, float] = {}
        for segment in reversed(self.segments):  # so the first segment's start wins at t = 0
            values[segment.param] = segment.start
        for segment in self.segments:
            if t >= segment.seconds:
                values[segment.param] = segment.end
                t -= segment.seconds
            else:
                values[segment.param] = segment.value(t / segment.seconds)
                break
        return values

    def describe(self) -> str:
        text = ", then ".join(s.describe() for s in self.segments)
        return text + (" (loop)" if self.loop else "")


@dataclass(frozen=True, eq=False)
class Scene:
    """A prepared demonstration: the State it opens, what it says, what it measures and sweeps."""

    id: str
    title: str
    caption: str
    state: State
    readouts: tuple[str, ...] = ()
    animation: Sweep | None = None
    plots: tuple[str, ...] = ()  # in presentation mode; () for all four
    source: str = ""
    training: TrainingScene | None = None  # a scene of the Training page


def scenes_folder() -> Traversable:
    """Where the scenes shipped with normgui are (a folder in a checkout, a wheel, an installer)."""
    return resources.files("normgui.resources") / "scenes"


def load_scenes(folder: Traversable | None = None) -> tuple[Scene, ...]:
    """Every scene of `folder` (the shipped ones by default), in file-name order.

    Raises SceneError for the first file that is broken or an id used twice.
    """
    where = scenes_folder() if folder is None else folder
    files = sorted(
        (f for f in where.iterdir() if f.is_file() and f.name.endswith(SUFFIX)),
        key=lambda f: f.name,
    )
    scenes: list[Scene] = []
    seen: dict[str, str] = {}
    for file in files:
        scene = read_scene(file)
        if scene.id in seen:
            raise SceneError(f"{file.name}: id {scene.id!r} is already used by {seen[scene.id]}")
        seen[scene.id] = file.name
        scenes.append(scene)
    return tuple(scenes)


def read_scene(file: Traversable) -> Scene:
    """One scene file; SceneError says what is wrong."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise SceneError(f"{file.name}: cannot be read ({exc.strerror or exc})") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise SceneError(f"{file.name}: too large for a scene ({len(raw):,} bytes)")
    return loads(raw, file.name)


def loads(data: bytes | str, name: str = "scene") -> Scene:
    """A scene from the text of a scene file."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        document = json.loads(text, parse_constant=_refuse_constant)
    except UnicodeDecodeError as exc:
        raise SceneError(f"{name}: not a scene (not UTF-8 text)") from exc
    except SceneError as exc:
        raise SceneError(f"{name}: {exc}") from None
    except RecursionError as exc:
        raise SceneError(f"{name}: nested too deeply") from exc
    except ValueError as exc:  # json.JSONDecodeError
        raise SceneError(f"{name}: not a scene (invalid JSON: {exc})") from exc
    return from_document(document, name)


def _refuse_constant(token: str) -> Any:
    raise SceneError(f"'{token}' is not allowed: only finite numbers")


def from_document(document: Any, name: str = "scene") -> Scene:
    """Validate a parsed scene field by field and build it."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SceneError(f"{name}: not a normgui scene (no 'format': '{FORMAT}')")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= VERSION:
        raise SceneError(f"{name}: 'version' must be a whole number from 1 to {VERSION}")
    unknown = sorted(set(document) - _KEYS)
    if unknown:
        raise SceneError(f"{name}: unknown field(s) {', '.join(map(repr, unknown))}")
    scene_id = _text(document, "id", name, 60)
    if not _ID.match(scene_id):
        raise SceneError(
            f"{name}: 'id' must be lowercase letters and digits joined by hyphens, not {scene_id!r}"
        )
    title = _text(document, "title", name, 100)
    caption = _text(document, "caption", name, 600)
    state = _state(document, name)
    readouts = _readouts(document, name)
    animation = _animation(document.get("animation"), name)
    plots = _plots(document, name)
    training = _training(document.get("training"), name)
    if training is not None:
        state = state.replace(training_setup=training.setup)
    return Scene(scene_id, title, caption, state, readouts, animation, plots, name, training)


def _training(value: Any, name: str) -> TrainingScene | None:
    if value is None:
        return None
    try:
        return training_scene(value)
    except ValueError as exc:
        raise SceneError(f"{name}: 'training': {exc}") from exc


def _text(document: dict[str, Any], key: str, name: str, limit: int) -> str:
    value = document.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SceneError(f"{name}: '{key}' must be a text")
    if len(value) > limit:
        raise SceneError(f"{name}: '{key}' is longer than {limit} characters")
    return " ".join(value.split())


def _state(document: dict[str, Any], name: str) -> State:
    """The scene's partial state over the defaults, validated as a session's state is."""
    partial = document.get("state", {})
    if not isinstance(partial, dict):
        raise SceneError(f"{name}: 'state' must be an object")
    base = to_dict(State())
    unknown = sorted(set(partial) - set(base["state"]))
    if unknown:
        raise SceneError(f"{name}: 'state' has unknown field(s) {', '.join(map(repr, unknown))}")
    body = {**base["state"], **partial}
    try:
        state = from_dict(
            {"format": SESSION_FORMAT, "version": SESSION_VERSION, "state": body}, name
        )
    except SessionError as exc:
        raise SceneError(str(exc).replace(": field '", ": field 'state.", 1)) from exc
    steps = document.get("running_steps", 0)
    if isinstance(steps, bool) or not isinstance(steps, int) or not 0 <= steps <= MAX_RUNNING_STEPS:
        raise SceneError(
            f"{name}: 'running_steps' must be a whole number from 0 to {MAX_RUNNING_STEPS}"
        )
    if steps:
        try:
            state = with_running_steps(state, steps)
        except ValueError as exc:
            raise SceneError(f"{name}: 'running_steps': {exc}") from exc
    return state


def with_running_steps(state: State, steps: int) -> State:
    """`state` after `steps` Steps of BatchNorm's running statistics on A, as the Step button
    does them (momentum and the unbiased variance of PyTorch)."""
    history = list(state.running_history)
    stats = state.running
    batch = scaled_inputs(state)
    for _ in range(steps):
        stats = update_running_stats(stats, batch, state.momentum)
        history.append(stats)
    return state.replace(running_history=tuple(history))


def _readouts(document: dict[str, Any], name: str) -> tuple[str, ...]:
    value = document.get("readouts", [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SceneError(f"{name}: 'readouts' must be a list of names")
    for v in value:
        if v not in READOUTS:
            raise SceneError(f"{name}: unknown readout {v!r}; choose from: {', '.join(READOUTS)}")
    return tuple(value)


def _plots(document: dict[str, Any], name: str) -> tuple[str, ...]:
    value = document.get("plots", [])
    if (
        not isinstance(value, list)
        or len(value) > len(PLOTS)
        or not all(isinstance(v, str) and v in PLOTS for v in value)
        or len(set(value)) != len(value)
    ):
        raise SceneError(f"{name}: 'plots' must list different plots of: {', '.join(PLOTS)}")
    return tuple(value)


def _animation(value: Any, name: str) -> Sweep | None:
    if value is None:
        return None
    where = f"{name}: 'animation'"
    if not isinstance(value, dict) or set(value) - {"segments", "loop"}:
        raise SceneError(f"{where} must be an object with 'segments' and optionally 'loop'")
    loop = value.get("loop", False)
    if not isinstance(loop, bool):
        raise SceneError(f"{where}: 'loop' must be true or false")
    items = value.get("segments")
    if not isinstance(items, list) or not items or len(items) > 20:
        raise SceneError(f"{where}: 'segments' must be a list of 1 to 20 segments")
    segments = []
    for i, item in enumerate(items):
        here = f"{where}: segment {i + 1}"
        if not isinstance(item, dict) or set(item) != {"param", "from", "to", "seconds"}:
            raise SceneError(f"{here} must have exactly 'param', 'from', 'to' and 'seconds'")
        numbers = [item["from"], item["to"], item["seconds"]]
        if not isinstance(item["param"], str) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers
        ):
            raise SceneError(f"{here}: 'param' must be a name and the others numbers")
        try:
            segments.append(Segment(item["param"], *(float(v) for v in numbers)))
        except ValueError as exc:
            raise SceneError(f"{here}: {exc}") from exc
    return Sweep(tuple(segments), loop)


def scene_by_id(scenes: tuple[Scene, ...], scene_id: str) -> Scene:
    """The scene with this id, or SceneError listing the ids there are."""
    for scene in scenes:
        if scene.id == scene_id:
            return scene
    raise SceneError(f"no scene {scene_id!r}; the scenes are: {', '.join(s.id for s in scenes)}")
