"""A quick look at a scene's caption bar, with its readouts:
python -m normgui.qt.lecture [SCENE-ID] [--large]"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from normgui.core.pipeline import compute
from normgui.core.readouts import readouts_for
from normgui.qt.lecture import CaptionBar
from normgui.qt.theme import LIGHT, PRESENTATION
from normgui.scenes import load_scenes, scene_by_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m normgui.qt.lecture")
    parser.add_argument("scene", nargs="?", default="invariances")
    parser.add_argument("--large", action="store_true", help="as on a projector")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    scenes = load_scenes()
    scene = scene_by_id(scenes, args.scene)
    bar = CaptionBar(QAction("Play"))
    bar.set_look(PRESENTATION if args.large else LIGHT, args.large)
    bar.show_scene(scene, scenes.index(scene), len(scenes))
    bar.set_readouts(readouts_for(compute(scene.state), scene.readouts))
    if args.large:
        bar.resize(1366, 400)
    else:
        bar.resize(900, 180)
    bar.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
