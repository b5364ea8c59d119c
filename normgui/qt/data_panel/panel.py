"""The Data panel: inputs A and B as text and as tables, generated or imported.

The panel follows one rule in both directions. Its `_on_<widget>_<signal>` handlers only write
a new State to the store; `set_state` (connected to `state_changed`) puts the State into the
widgets with their signals blocked, so nothing echoes back. Statistics are never computed here:
they come with each Frame (`frame_changed`).

Run on its own for a look: ``python -m normgui.qt.data_panel``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QEvent, QObject, QSignalBlocker, QStandardPaths, Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from normgui.core.generators import GeneratorSpec, generate
from normgui.core.importers import NPY_SUFFIXES, TEXT_SUFFIXES, DataFileError, load_array
from normgui.core.parsing import ParseError, parse_vectors
from normgui.core.pipeline import Frame
from normgui.core.state import State, as_data
from normgui.qt.data_panel.image_file import IMAGE_SUFFIXES, LAYOUTS, is_picture, read_picture
from normgui.qt.data_panel.input_entry import VectorEntry, is_dark
from normgui.qt.data_panel.input_generator import GeneratorBox
from normgui.qt.data_panel.input_table import TARGETS, TableEditor
from normgui.qt.store import Store
from normgui.qt.theme import DARK, LIGHT

FloatArray = NDArray[np.float64]

DEFAULT_B: Final = ((4.0, 5.0, 6.0, 7.0),)
FILE_FILTER: Final = (
    "Data and pictures (*.csv *.txt *.npy *.png *.jpg *.jpeg *.bmp *.gif);;"
    "Data (*.csv *.txt *.npy);;Pictures (*.png *.jpg *.jpeg *.bmp *.gif);;All files (*)"
)
STATS_SOURCE_LABELS: Final = {"joint": "A and B as one batch", "each": "each on its own"}
_FIELDS: Final = {"A": "inputs_a", "B": "inputs_b"}
# The most of the screen's width the panel claims for its controls.
MAX_SCREEN_SHARE: Final = 0.25


class InputPanel(QWidget):
    """Inputs A and (with Compare on) B: entries, tables with statistics, generator, import.

    Public API: `set_state(state)`, `import_file(path, target)`, `open_import_dialog()`.
    """

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._last_dir = ""
        self.setAcceptDrops(True)

        self.compare = QCheckBox("Compare with B")
        self.compare.setAccessibleName("Compare")
        self.compare.setToolTip(
            "Show a second input B beside A, e.g. [1, 2, 3, 4] and [4, 5, 6, 7]: "
            "does the normalization tell them apart?"
        )
        self.stats_source = QComboBox()
        for key, text in STATS_SOURCE_LABELS.items():
            self.stats_source.addItem(text, key)
        self.stats_source.setAccessibleName("Statistics from")
        self.stats_source.setToolTip(
            "For methods with statistics over each column (BatchNorm, Standardize, Min-max): "
            "take them over A and B together as one batch, or over each input on its own"
        )
        self.stats_label = QLabel("Statistics from")
        self.stats_label.setBuddy(self.stats_source)
        self.entries = {t: VectorEntry(t) for t in TARGETS}
        self.table = TableEditor()
        self.generator = GeneratorBox()
        self._color_labels()

        self._lay_out()

        self.compare.toggled.connect(self._on_compare_toggled)
        self.stats_source.currentIndexChanged.connect(self._on_stats_source_current_index_changed)
        for target, entry in self.entries.items():
            entry.committed.connect(lambda text, t=target: self._on_entry_committed(t, text))
        self.table.data_replaced.connect(self._on_table_data_replaced)
        self.table.edit_refused.connect(self._on_table_edit_refused)
        self.generator.generate_requested.connect(self._on_generator_generate_requested)
        store.state_changed.connect(self.set_state)
        store.frame_changed.connect(self.set_frame)
        self.set_state(store.state)
        self.set_frame(store.frame)

    def _lay_out(self) -> None:
        """Compare and the statistics' source, the entries, the table and the generator, one
        under the other in a scroll area."""
        stats_row = QHBoxLayout()
        stats_row.setSpacing(6)
        stats_row.addWidget(self.stats_label)
        stats_row.addWidget(self.stats_source, 1)
        self._stats_row = QWidget()
        self._stats_row.setLayout(stats_row)
        stats_row.setContentsMargins(0, 0, 0, 0)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.compare)
        layout.addWidget(self._stats_row)
        for entry in self.entries.values():
            layout.addWidget(entry)
        # The table takes the height there is, up to the height of its rows; the rest is left
        # below everything (the spacer's tiny stretch takes only what the table cannot use).
        layout.addWidget(self.table, 1000)
        layout.addWidget(line)
        layout.addWidget(self.generator)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        self._scroll, self._content = scroll, content
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        content.installEventFilter(self)  # its layout requests: see eventFilter
        self._fit_width()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and watched is self._content:
            self._fit_width()  # shown, restyled, with other controls
        return super().eventFilter(watched, event)

    def _fit_width(self) -> None:
        """Never narrower than what the controls need, with room for the vertical scroll bar:
        the dock then cannot squeeze them, and nothing is cut off on the right. Compare adds
        controls, so this follows it. On a screen too small for that (under about 1200 px)
        the plots keep their room and the panel scrolls sideways instead."""
        content = self._content
        layout = content.layout()
        if layout is not None:
            layout.activate()
        bar = self._scroll.verticalScrollBar().sizeHint().width()
        cap = MAX_SCREEN_SHARE * screen_width(self)
        self.setMinimumWidth(round(max(240, min(content.minimumSizeHint().width() + bar, cap))))

    # --- model → widgets --------------------------------------------------------------------

    def set_state(self, state: State) -> None:
        """Show `state` in every control, without any control writing back."""
        shown = state.compare
        with QSignalBlocker(self.compare):
            self.compare.setChecked(shown)
        with QSignalBlocker(self.stats_source):
            self.stats_source.setCurrentIndex(self.stats_source.findData(state.stats_source))
        self._stats_row.setVisible(shown)
        self.entries["B"].setVisible(shown)
        self.table.set_compare(shown)
        self.generator.set_compare(shown)
        self._fit_width()
        for target in TARGETS:
            data = getattr(state, _FIELDS[target])
            if data is None:
                continue
            if not self.entries[target].shows(data):
                self.entries[target].show_data(data)
            self.table.set_data(target, data)
        self.table.set_note(*_scale_note(state))

    def set_frame(self, frame: Frame) -> None:
        """Show the statistics the Frame carries (of the input after scale and shift)."""
        for target, series in (("A", frame.a), ("B", frame.b)):
            model = self.table.models[target]
            if series is None or frame.state is not self._store.state:
                model.set_stats(None, None, None, None)
            else:
                model.set_stats(series.row_mean, series.row_std, series.col_mean, series.col_std)

    # --- files ------------------------------------------------------------------------------

    def import_file(self, path: str | Path, target: str = "A", per_image: bool = False) -> bool:
        """Replace input `target` ("A" or "B") with the numbers in a CSV, text or .npy file, or
        the pixels of a picture (PNG, JPEG, BMP, GIF): one row per pixel with its channels as
        the features, or with `per_image` one row with its pixels as the features.

        Any problem is reported with `store.error` and changes nothing. Importing into B turns
        Compare on. Returns whether the data was taken.
        """
        if target not in _FIELDS:
            raise ValueError(f"target must be 'A' or 'B', not {target!r}")
        layout, note = None, ""
        try:
            if is_picture(path):
                data, layout, note = read_picture(path, per_image)
            else:
                data = load_array(path)
        except DataFileError as exc:
            self._store.error.emit(str(exc))
            return False
        changes: dict[str, object] = {_FIELDS[target]: data}
        if target == "A":
            changes["image"] = layout  # the plots show A as a picture too (none for numbers)
        else:
            changes["compare"] = True
        taken = self._update(f"Import {Path(path).name}", changes)
        if taken:
            self._last_dir = str(Path(path).parent)
            what = "" if layout is None else f" (a picture: {layout.describe()})"
            scaled = f"; {note}" if note else ""
            self._store.notice.emit(
                f"Imported {data.shape[0]} × {data.shape[1]} values into {target}{what}{scaled}"
            )
        return taken

    def open_import_dialog(self, target: str | None = None) -> bool:
        """Ask for a file and import it into `target` (default: the input whose table is shown).

        Returns whether data was imported (False if the dialog was cancelled or the file bad).
        """
        start = self._last_dir or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        target = target or self.table.current_target()
        path, _ = QFileDialog.getOpenFileName(
            self, f"Import data into {target}", start, FILE_FILTER
        )
        if not path:
            return False
        per_image = False
        if is_picture(path):
            choices = list(LAYOUTS.values())
            choice, ok = QInputDialog.getItem(
                self, "Import a picture", "Make the data of the picture:", choices, 0, False
            )
            if not ok:
                return False
            per_image = choices.index(choice) == 1
        return self.import_file(path, target, per_image)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.import_file(path, self.table.current_target())

    # --- widgets → model --------------------------------------------------------------------

    def _on_compare_toggled(self, on: bool) -> None:
        if on and self._store.state.inputs_b is None:
            self._store.update("Compare with B", compare=True, inputs_b=DEFAULT_B)
        else:
            self._store.update("Compare with B", compare=on)

    def _on_stats_source_current_index_changed(self, index: int) -> None:
        self._store.update("Statistics from", stats_source=self.stats_source.itemData(index))

    def _on_entry_committed(self, target: str, text: str) -> None:
        entry = self.entries[target]
        try:
            data = as_data(parse_vectors(text), f"input {target}")
        except ValueError as exc:  # ParseError, or numbers the State would refuse
            message = exc.message if isinstance(exc, ParseError) else str(exc)
            entry.set_error(message)
            self._store.error.emit(f"Input {target}: {message}")
            return
        self._update(f"Edit input {target}", {_FIELDS[target]: data})
        entry.show_data(getattr(self._store.state, _FIELDS[target]))  # the tidy form, no error

    def _on_table_data_replaced(self, target: str, data: FloatArray, label: str) -> None:
        self._update(label, {_FIELDS[target]: data})

    def _on_table_edit_refused(self, target: str, message: str) -> None:
        self._store.error.emit(f"Input {target}: {message}")

    def _on_generator_generate_requested(self, spec: GeneratorSpec, target: str) -> None:
        try:
            data = generate(spec)
        except ValueError as exc:
            self._store.error.emit(str(exc))
            return
        self._update("Generate", {_FIELDS[target]: data})

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light ↔ dark: colours to match
            self._color_labels()
            for entry in self.entries.values():
                entry.apply_colors()

    # --- helpers ----------------------------------------------------------------------------

    def _update(self, label: str, changes: dict[str, object]) -> bool:
        return self._store.update(label, False, **changes)

    def _color_labels(self) -> None:
        """A and B in the colours the plots give them."""
        colors = (DARK if is_dark(self.palette()) else LIGHT).series
        for index, target in enumerate(TARGETS):
            color = QColor(colors[index])
            self.entries[target].label.setStyleSheet(f"color: {color.name()}; font-weight: bold;")
            self.table.tabs.setTabTextColor(index, color)


def screen_width(widget: QWidget) -> int:
    """The width of the screen `widget` is on (or will be: the primary one)."""
    screen = widget.screen()
    return screen.availableGeometry().width() if screen is not None else 1366


def _scale_note(state: State) -> tuple[str, str]:
    """A line under the table, and its tooltip, when the statistics are not of the raw values."""
    scale, shift = state.input_scale, state.input_shift
    steps = ([f"scale ×{scale:g}"] if scale != 1.0 else []) + (
        [f"shift {shift:+g}"] if shift != 0.0 else []
    )
    if not steps:
        return "", ""
    tip = (
        "The mean and std shown are of the input after the input scale and shift set with the "
        f"normalization: x × {scale:g} {'+' if shift >= 0 else '−'} {abs(shift):g}"
    )
    return f"mean, std after {', '.join(steps)}", tip


def _dropped_file(event: QDragEnterEvent | QDropEvent) -> str | None:
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = urls[0].toLocalFile()
    known = NPY_SUFFIXES + TEXT_SUFFIXES + IMAGE_SUFFIXES
    return path if Path(path).suffix.lower() in known else None
