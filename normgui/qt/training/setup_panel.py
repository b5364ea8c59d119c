"""The Training page's setup docks: the data and the run (left), the networks A and B side by
side (right). Each control writes the store's State; the State drives every control (inside
signal blockers), so undo and sessions show in them as well."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from normgui.core.activations import ACTIVATIONS
from normgui.core.datasets import DATASETS
from normgui.core.methods import ACTIVATION_LABELS
from normgui.core.state import State
from normgui.core.training.preset import RunConfig
from normgui.core.training.setup import CSV, MAX_STEPS, TrainingSetup
from normgui.core.training.spec import HIDDEN_NORMS, INITS, INPUT_NORMS
from normgui.core.training.words import INIT_WORDS, INPUT_WORDS, NORM_WORDS, OPTIMIZER_WORDS
from normgui.qt.store import Store
from normgui.qt.widgets.number_widgets import CompactComboBox, SliderSpin, WholeSpinBox


def _combo(name: str, items: dict[str, str]) -> CompactComboBox:
    combo = CompactComboBox(name)
    for key, words in items.items():
        combo.addItem(words, key)
    return combo


def _show(combo: CompactComboBox, key: str) -> None:
    with QSignalBlocker(combo):
        combo.setCurrentIndex(max(0, combo.findData(key)))


def parse_hidden(text: str) -> tuple[int, ...]:
    """Hidden layer sizes written "100, 100, 100"; ValueError in words."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError(
            f"hidden layers: write the units of each layer, like 100, 100 — not {text!r}"
        ) from None
    if not sizes:
        raise ValueError("hidden layers: at least one layer, like 100")
    return sizes


class DataSetupPanel(QWidget):
    """The data (a shipped set or a CSV file and its label column), steps, seed, and whether B
    is compared."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        # The names only (the dock is narrow): the item's tooltip and the line under the combo
        # say what each set is.
        self.dataset = _combo("Dataset", {**{name: name for name in DATASETS}, CSV: "a CSV file…"})
        for i, line in enumerate(DATASETS.values()):
            self.dataset.setItemData(i, line, Qt.ItemDataRole.ToolTipRole)
        self.dataset.setItemData(
            len(DATASETS),
            "Your own data: a CSV file with a header line",
            Qt.ItemDataRole.ToolTipRole,
        )
        self.dataset.setToolTip("The data the networks learn (the list says what each set is)")
        self.dataset.activated.connect(self._on_dataset_activated)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setAccessibleName("Dataset size and classes")
        self.label_column = CompactComboBox("Label column")
        self.label_column.setToolTip(
            "The column of the CSV file that holds the classes; every other column is a feature"
        )
        self.label_column.activated.connect(self._on_label_column_activated)
        self.label_words = QLabel("Label")
        self.csv_problem = QLabel()
        self.csv_problem.setObjectName("csvProblem")
        self.csv_problem.setWordWrap(True)
        self.csv_problem.setAccessibleName("CSV file problem")
        self.csv_problem.setStyleSheet("QLabel#csvProblem { color: #B00020; }")
        self.csv_problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._csv_path = ""  # the CSV file whose columns the label combo lists
        self._csv_pending = False  # a CSV file chosen that cannot be trained on yet
        self.steps = WholeSpinBox()
        self.steps.setRange(1, MAX_STEPS)
        self.steps.setSingleStep(100)
        self.steps.setAccessibleName("Steps")
        self.steps.setKeyboardTracking(False)
        self.steps.valueChanged.connect(lambda v: self._update("Steps", steps=v))
        self.seed = WholeSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setAccessibleName("Seed")
        self.seed.setKeyboardTracking(False)
        self.seed.valueChanged.connect(lambda v: self._update("Seed", seed=v))
        self.compare = QCheckBox("Compare with B")
        self.compare.setToolTip("Train configuration B beside A, from the same initial weights")
        self.compare.toggled.connect(lambda on: self._update("Compare with B", compare=on))
        form = QFormLayout(self)
        form.addRow("Data", self.dataset)
        form.addRow(self.info)
        form.addRow(self.label_words, self.label_column)
        form.addRow(self.csv_problem)
        form.addRow("Steps", self.steps)
        form.addRow("Seed", self.seed)
        form.addRow(self.compare)
        store.state_changed.connect(self.set_state)
        self.set_state(store.state)

    def _update(self, label: str, **changes: Any) -> bool:
        setup = self.store.state.training_setup
        try:
            new = setup.replace(**changes)
        except ValueError as exc:
            self.store.error.emit(str(exc))
            self.set_state(self.store.state)
            return False
        self.store.set_state(self.store.state.replace(training_setup=new), label)
        return True

    def _on_dataset_activated(self, index: int) -> None:
        key = self.dataset.itemData(index)
        if key != CSV:
            self._csv_pending = False
            self._update(f"Data: {key}", dataset=key)
            self.set_state(self.store.state)
            return
        path, _ = QFileDialog.getOpenFileName(self, "Train on a CSV file", "", "CSV (*.csv)")
        if path:
            self.choose_csv(path)
        else:
            self.set_state(self.store.state)

    def choose_csv(self, path: str) -> None:
        """Train on the CSV file at `path`, its last column the label (the common layout; the
        label combo picks another). What is wrong with it is said under the combo."""
        self._csv_pending = True
        if self._list_columns(path):
            self._try_label(self.label_column.currentText())
        self.set_state(self.store.state)

    def _list_columns(self, path: str) -> bool:
        from normgui.core.labelled_csv import read_column_names

        self._csv_path = path
        with QSignalBlocker(self.label_column):
            self.label_column.clear()
        try:
            columns = read_column_names(Path(path))
        except ValueError as exc:
            self.csv_problem.setText(str(exc))
            return False
        with QSignalBlocker(self.label_column):
            self.label_column.addItems(columns)
            self.label_column.setCurrentIndex(len(columns) - 1)
        self.csv_problem.clear()
        return True

    def _on_label_column_activated(self, index: int) -> None:
        self._try_label(self.label_column.itemText(index))
        self.set_state(self.store.state)

    def _try_label(self, label: str) -> None:
        """Take `label` as the label column of the CSV file listed, if the data loads with it."""
        from normgui.core.datasets import load_csv

        try:
            load_csv(self._csv_path, label)
        except ValueError as exc:  # DataFileError: the file, the line and the column, in words
            self.csv_problem.setText(str(exc))
            return
        self.csv_problem.clear()
        changes = {"dataset": CSV, "csv_path": self._csv_path, "label_column": label}
        if self._update(f"Data: {Path(self._csv_path).name}, label {label}", **changes):
            self._csv_pending = False

    def set_state(self, state: State) -> None:
        setup = state.training_setup
        csv = setup.dataset == CSV or self._csv_pending
        if setup.dataset == CSV and not self._csv_pending:
            if setup.csv_path != self._csv_path:
                self._list_columns(setup.csv_path)
            with QSignalBlocker(self.label_column):
                self.label_column.setCurrentIndex(self.label_column.findText(setup.label_column))
        _show(self.dataset, CSV if csv else setup.dataset)
        for widget in (self.label_words, self.label_column):
            widget.setVisible(csv)
        self.csv_problem.setVisible(csv and bool(self.csv_problem.text()))
        for box, value in ((self.steps, setup.steps), (self.seed, setup.seed)):
            with QSignalBlocker(box):
                box.setValue(value)
        with QSignalBlocker(self.compare):
            self.compare.setChecked(setup.compare)
        if csv:
            self.info.setText(self._csv_path or setup.csv_path)
        else:
            self.info.setText(DATASETS[setup.dataset])

    def set_info(self, text: str) -> None:
        """What the run's data holds (size, classes), once loaded."""
        self.info.setText(text)


CONTROL_WIDTH = 104  # each of A's and B's controls, so that both fit a dock on a laptop
# Words short enough for those controls (the item's tooltip has the long ones).
SHORT_WORDS = {"none": "none", "scale": "scaled [0, 1]", "standardize": "standardized"}


class NetworkSetupPanel(QWidget):
    """Networks A and B side by side: a row per setting, a column per configuration."""

    ROWS = (
        "hidden",
        "activation",
        "norm",
        "input_norm",
        "init",
        "optimizer",
        "lr",
        "batch_size",
    )

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        for column, run in ((1, "A"), (2, "B")):
            title = QLabel(f"<b>{run}</b>")
            title.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(title, 0, column)
        self.controls: dict[tuple[str, str], QWidget] = {}
        # Short: the dock is narrow and A and B sit side by side (the tooltips say more).
        labels = ("units", "activation", "norm", "input", "init", "optimizer", "lr", "batch")
        for row, (key, label) in enumerate(zip(self.ROWS, labels, strict=True), start=1):
            grid.addWidget(QLabel(label), row, 0)
            for column, run in ((1, "A"), (2, "B")):
                widget = self._control(run, key, f"{label} of {run}")
                widget.setMaximumWidth(CONTROL_WIDTH)
                self.controls[run, key] = widget
                grid.addWidget(widget, row, column)
        note = QLabel("B trains from the same seed, so from the same initial weights.")
        note.setWordWrap(True)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addLayout(grid)
        layout.addWidget(note)
        layout.addStretch(1)
        # A narrow window scrolls the two columns rather than cutting B off.
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        # Wide enough for A and B side by side where the screen allows; narrower, it scrolls.
        self.setMinimumWidth(min(inner.sizeHint().width() + 12, 250))
        store.state_changed.connect(self.set_state)
        self.set_state(store.state)

    def _control(self, run: str, key: str, name: str) -> QWidget:
        edit: Callable[..., None] = lambda **c: self._update(run, name, **c)  # noqa: E731
        if key == "hidden":
            line = QLineEdit()
            line.setAccessibleName(name)
            line.setToolTip("Units of each hidden layer, like 100, 100, 100")
            line.editingFinished.connect(lambda: self._on_hidden_edited(run, name, line))
            return line
        if key in ("lr", "batch_size"):
            if key == "lr":
                spin = SliderSpin(1e-4, 10.0, 0.25, name=name, log=True, factor=2.0)
                spin.slider.setMinimumWidth(20)
                spin.value_edited.connect(lambda v: edit(lr=v))
                return spin
            box = WholeSpinBox()
            box.setRange(1, 100_000)
            box.setAccessibleName(name)
            box.setKeyboardTracking(False)
            box.valueChanged.connect(lambda v: edit(batch_size=v))
            return box
        items = {
            "activation": {a: ACTIVATION_LABELS.get(a, a) for a in ACTIVATIONS},
            "norm": {n: SHORT_WORDS.get(n, NORM_WORDS[n]) for n in HIDDEN_NORMS},
            "input_norm": {n: SHORT_WORDS.get(n, INPUT_WORDS[n]) for n in INPUT_NORMS},
            "init": {n: INIT_WORDS[n] for n in INITS},
            "optimizer": OPTIMIZER_WORDS,
        }[key]
        combo = _combo(name, items)
        for i, long in enumerate(
            {**NORM_WORDS, **INPUT_WORDS, **INIT_WORDS}.get(k, "") for k in items
        ):
            combo.setItemData(i, long, Qt.ItemDataRole.ToolTipRole)
        combo.setMinimumContentsLength(5)
        combo.activated.connect(lambda i: edit(**{key: combo.itemData(i)}))
        return combo

    def _on_hidden_edited(self, run: str, name: str, line: QLineEdit) -> None:
        try:
            sizes = parse_hidden(line.text())
        except ValueError as exc:
            self.store.error.emit(str(exc))
            self.set_state(self.store.state)
            return
        self._update(run, name, hidden=sizes)

    def _update(self, run: str, label: str, **changes: Any) -> None:
        state = self.store.state
        try:
            setup = state.training_setup.with_run(run, **changes)
        except ValueError as exc:
            self.store.error.emit(str(exc))
            self.set_state(state)
            return
        self.store.set_state(state.replace(training_setup=setup), label.capitalize(), merge=True)

    def set_state(self, state: State) -> None:
        setup: TrainingSetup = state.training_setup
        for run, config in (("A", setup.a), ("B", setup.b)):
            self._show_run(run, config)
            for key in self.ROWS:
                self.controls[run, key].setEnabled(run == "A" or setup.compare)

    def _show_run(self, run: str, config: RunConfig) -> None:
        for key in self.ROWS:
            widget = self.controls[run, key]
            value = getattr(config, key)
            if isinstance(widget, QLineEdit):
                text = ", ".join(str(n) for n in value)
                if widget.text() != text:
                    widget.setText(text)
            elif isinstance(widget, SliderSpin):
                widget.set_value(value)
            elif isinstance(widget, WholeSpinBox):
                with QSignalBlocker(widget):
                    widget.setValue(value)
            elif isinstance(widget, CompactComboBox):
                _show(widget, value)
