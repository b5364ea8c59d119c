"""The command line: `normgui [SESSION] [--scene ID] [--list-scenes] [--export OUT.png|.svg]
[--train PRESET.json [--steps N] [--csv OUT.csv]] [--selftest] [--version]`."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from normgui import __version__
from normgui.blas import prefer_single_threaded_blas

if TYPE_CHECKING:
    from normgui.scenes import Scene
    from normgui.session import Session


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="normgui",
        description="See what normalization does inside a neural network: type a vector, pick "
        "a normalization, turn its knobs, and watch the values pass through a sigmoid.",
    )
    parser.add_argument("session", nargs="?", help="a .normgui session file to open")
    parser.add_argument(
        "--export",
        metavar="OUT.png",
        help="draw the plots to an image file (.png, or .svg for a drawing) and exit, without "
        "showing a window",
    )
    parser.add_argument(
        "--scene", metavar="ID", help="open at a lecture scene (--list-scenes shows them)"
    )
    parser.add_argument(
        "--list-scenes", action="store_true", help="print the lecture scenes, one a line, and exit"
    )
    parser.add_argument(
        "--train",
        metavar="PRESET.json",
        help="train the network a training preset describes, without a window, printing "
        "the loss and test accuracy as it goes",
    )
    parser.add_argument(
        "--steps",
        type=int,
        metavar="N",
        help="with --train: how many steps (the preset's own by default)",
    )
    parser.add_argument(
        "--csv",
        metavar="OUT.csv",
        help="with --train, or --scene of a training scene: write every record (loss, "
        "accuracy, each layer's percentiles and regimes) to a CSV file",
    )
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="build the window offscreen, draw a frame, export an image; exit 0 if all worked",
    )
    parser.add_argument("--version", action="version", version=f"normgui {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Start normgui; returns the process exit code."""
    # The Training page trains in a child process: in a frozen app (the installers) the child
    # is this program again, told here to run the worker instead.
    multiprocessing.freeze_support()
    prefer_single_threaded_blas()  # before numpy loads: see normgui.blas
    args = build_parser().parse_args(argv)
    if args.list_scenes:
        return _list_scenes()
    if args.train:
        from normgui.train_cli import run_training

        return run_training(args.train, args.steps, args.csv)
    scene = _find_scene(args.scene) if args.scene else None
    if args.scene and scene is None:
        return 2
    headless = bool(args.export or args.selftest)
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from normgui.qt.shell.app import create_app, platform_problem

    problem = platform_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    app = create_app([sys.argv[0]])
    if not headless:
        from normgui.qt.shell import crash_reporting

        crash_reporting.install()  # an uncaught error is logged and shown, never fatal
    from normgui.qt.shell.main_window import MainWindow

    (state, history), session_problem = _open_session(args.session)
    if session_problem and headless:
        return 2
    # An explicit State (here a session) wins over the autosave; without one the window comes
    # back to where the last run left off. Headless runs neither restore nor autosave.
    if scene is not None:
        state = scene.state
    window = MainWindow(state, persist=not headless)
    if scene is not None:
        window.lecture.show_scene(scene.id)
    elif args.session and state is not None:
        window.sessions.opened(Path(args.session), history)
    if session_problem:
        window.store.error.emit(session_problem)
    if args.selftest:
        return _selftest(window)
    if args.export:
        return _export(window, args.export, args.csv if scene and scene.training else None)
    window.show()
    return app.exec()


def _open_session(path: str | None) -> tuple[Session | tuple[None, None], str | None]:
    """The State and training history a session file holds (None, None without a file), and
    what is wrong with it, said on stderr too."""
    if not path:
        return (None, None), None
    from normgui.session import SessionError, load_session

    try:
        return load_session(path), None
    except SessionError as exc:
        print(f"normgui: {exc}", file=sys.stderr)
        return (None, None), str(exc)


def _export(window: object, out: str, records_csv: str | None) -> int:
    """Draw the plots to `out` without a window (and a training scene's records to a CSV)."""
    from normgui.qt.shell.main_window import MainWindow

    assert isinstance(window, MainWindow)
    try:
        window.export_plots(out)
    except (OSError, ValueError) as exc:
        print(f"normgui: {exc}", file=sys.stderr)
        return 2
    print(f"normgui: plots written to {out}")
    return _write_records(window, records_csv) if records_csv else 0


def _write_records(window: object, path: str) -> int:
    """The records of the training scene just drawn, to a CSV file."""
    from normgui.core.training.table import records_to_csv
    from normgui.qt.shell.main_window import MainWindow
    from normgui.session import save_text

    assert isinstance(window, MainWindow)
    try:
        save_text(records_to_csv(window.training.controller.history.records), Path(path))
    except OSError as exc:
        print(f"normgui: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"normgui: records written to {path}")
    return 0


def _list_scenes() -> int:
    """Print every lecture scene: its id, then its title."""
    from normgui.scenes import SceneError, load_scenes

    try:
        scenes = load_scenes()
    except SceneError as exc:
        print(f"normgui: {exc}", file=sys.stderr)
        return 2
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:  # a console that cannot show γ or √ gets an escape, not a crash
        reconfigure(errors="backslashreplace")
    width = max((len(s.id) for s in scenes), default=0)
    for s in scenes:
        print(f"{s.id:<{width}}  {s.title}")
    return 0


def _find_scene(scene_id: str) -> Scene | None:
    """The scene with this id, or None after saying why on stderr."""
    from normgui.scenes import SceneError, load_scenes, scene_by_id

    try:
        return scene_by_id(load_scenes(), scene_id)
    except SceneError as exc:
        print(f"normgui: {exc}", file=sys.stderr)
        return None


def _selftest(window: object) -> int:
    """Compute and draw a frame and export it; report what failed, if anything."""
    from normgui.qt.shell.main_window import MainWindow

    assert isinstance(window, MainWindow)
    try:
        window.store.flush()
        frame = window.store.frame
        if frame.a.activated.size == 0:
            raise RuntimeError("the first frame is empty")
        with tempfile.TemporaryDirectory(prefix="normgui-selftest-") as folder:
            out = Path(folder) / "selftest.png"
            window.export_plots(out)
            if out.stat().st_size < 1000:
                raise RuntimeError(f"the exported image is suspiciously small ({out})")
        _selftest_training()
    except Exception as exc:  # the selftest reports every failure as a reason, never a traceback
        print(f"normgui selftest FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"normgui {__version__} selftest passed")
    return 0


def _selftest_training() -> None:
    """The shipped data and the training engine are there and learn (a few steps on digits)."""
    from normgui.core.datasets import load_dataset
    from normgui.core.training import NetworkSpec, Trainer

    data = load_dataset("digits")
    trainer = Trainer(NetworkSpec((data.n_features, 16, data.n_classes)), data, lr=0.5)
    accuracy = trainer.advance(20).test_accuracy
    if accuracy is None or not accuracy > 0.2:
        raise RuntimeError(f"a network did not learn the digits (test accuracy {accuracy})")


if __name__ == "__main__":
    sys.exit(main())
