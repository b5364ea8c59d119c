"""The command line: `normgui [SESSION] [--export OUT.png] [--selftest] [--version]`."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from normgui import __version__


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
        help="draw the plots to an image file and exit, without showing a window",
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
    args = build_parser().parse_args(argv)
    headless = bool(args.export or args.selftest)
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from normgui.qt.app import create_app, platform_problem

    problem = platform_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    app = create_app([sys.argv[0]])
    from normgui.qt.main_window import MainWindow

    state = None
    if args.session:
        from normgui.session import SessionError, load

        try:
            state = load(args.session)
        except SessionError as exc:
            print(f"normgui: {exc}", file=sys.stderr)
            if headless:
                return 2
    window = MainWindow(state)
    if args.session and state is not None:
        window.session_name = Path(args.session).stem
    if args.selftest:
        return _selftest(window)
    if args.export:
        try:
            window.export_plots(args.export)
        except (OSError, ValueError) as exc:
            print(f"normgui: {exc}", file=sys.stderr)
            return 2
        print(f"normgui: plots written to {args.export}")
        return 0
    window.show()
    return app.exec()


def _selftest(window: object) -> int:
    """Compute and draw a frame and export it; report what failed, if anything."""
    from normgui.qt.main_window import MainWindow

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
    except Exception as exc:  # the selftest reports every failure as a reason, never a traceback
        print(f"normgui selftest FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"normgui {__version__} selftest passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
