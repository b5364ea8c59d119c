# make run   — set up .venv and start normgui
# make test  — set up .venv with the test tools; ruff, mypy, the import contracts and the whole
#              test suite, headless
# make bench — the performance benchmarks (print tables, write bench.json and bench-training.json)
# make package — the self-contained app (PyInstaller) and dist/normgui_<version>_amd64.deb

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# pip runs again only when pyproject.toml changes
RUN_STAMP := $(VENV)/.stamp-run
TEST_STAMP := $(VENV)/.stamp-test
PACKAGE_STAMP := $(VENV)/.stamp-package

.PHONY: run test lint bench package clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test,package]"
	touch $@ $(RUN_STAMP)

$(PACKAGE_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[package]"
	touch $@ $(RUN_STAMP)

# normgui's own bytecode, written ahead: Python otherwise compiles every module at each start
# where PYTHONDONTWRITEBYTECODE is set (some 0.1 s), while the installed packages have theirs.
BYTECODE := $(PY) -m compileall -q normgui

run: $(RUN_STAMP)
	@tools/ensure-qt-libs
	@$(BYTECODE)
	$(VENV)/bin/normgui

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check normgui tests tools
	$(VENV)/bin/ruff format --check normgui tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

# All the tests in one process, the widget tests too: no widget is left to Python's cycle
# collector, which deleted pyqtgraph's plot menus wherever it ran and crashed the run at random
# places (see tests/qt/test_dropped_widgets.py).
test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(TEST_STAMP)
	@$(BYTECODE)
	QT_QPA_PLATFORM=offscreen $(PY) tests/perf/bench.py
	$(PY) tests/perf/bench_training.py

# build/ holds PyInstaller's work and the package tree; dist/ the app folder and the .deb
package: $(PACKAGE_STAMP)
	PYTHON=$(PY) resources/packaging/build-deb.sh

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
