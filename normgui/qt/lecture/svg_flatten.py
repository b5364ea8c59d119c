"""Bake the transforms of QSvgGenerator's output into the coordinates, so every SVG reader draws
the plots alike.

Qt writes each shape in the coordinates it was drawn in (a plot's data coordinates) inside a
`<g transform="matrix(…)">`, and marks cosmetic pens (pyqtgraph's, a width in pixels whatever the
zoom) `vector-effect="non-scaling-stroke"`. Browsers honour that; librsvg before 2.57, ImageMagick
and many slide programs do not, and scale a 3-pixel curve by the plot's scale into a band
hundreds of pixels wide. Once the coordinates are on the page and the transform is gone, there
is nothing left to scale and every reader agrees. pyqtgraph's own exporter does the same (and
breaks on the `Z` commands Qt 6.12 writes); this one reads only what it understands and leaves
any other group as it was.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Final

SVG_NS: Final = "http://www.w3.org/2000/svg"
XLINK_NS: Final = "http://www.w3.org/1999/xlink"
_MATRIX: Final = re.compile(r"^\s*matrix\(([^)]*)\)\s*$")
_PATH_TOKEN: Final = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# Commands with absolute coordinates, by how many x,y pairs each takes.
_PAIRS: Final = {"M": 1, "L": 1, "C": 3, "Q": 2, "S": 2, "T": 1, "Z": 0}
_SHAPES: Final = frozenset({"path", "polyline", "polygon", "rect", "line", "circle", "ellipse"})

Matrix = tuple[float, float, float, float, float, float]  # a b c d e f: x' = a·x + c·y + e


def flatten(svg: bytes, clips: Sequence[tuple[str, str]] = ()) -> bytes:
    """`svg` with the transforms of shape groups baked into their coordinates.

    `clips` are pairs of fill colours of marker rectangles drawn around what must be clipped
    (QSvgGenerator writes no clipping): what lies between a start and an end marker goes into a
    group clipped to the start marker's rectangle, and the markers go away.
    """
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(svg)
    for group in root.iter(f"{{{SVG_NS}}}g"):
        _flatten_group(group)
    if clips:
        _apply_clips(root, clips)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _apply_clips(root: ET.Element, clips: Sequence[tuple[str, str]]) -> None:
    defs = root.find(f"{{{SVG_NS}}}defs")
    if defs is None:
        defs = ET.Element(f"{{{SVG_NS}}}defs")
        root.insert(0, defs)
    colours = {colour.lower() for pair in clips for colour in pair}
    count = 0
    for parent in list(root.iter()):
        children = list(parent)
        marks = [i for i, c in enumerate(children) if c.get("fill", "").lower() in colours]
        if not marks:
            continue
        removed: set[int] = set(marks)
        wrapped: list[tuple[int, int, ET.Element]] = []
        for start_colour, end_colour in clips:
            start = next((i for i in marks if _fill(children[i]) == start_colour.lower()), None)
            end = next((i for i in marks if _fill(children[i]) == end_colour.lower()), None)
            rect = None if start is None else children[start].find(f"{{{SVG_NS}}}rect")
            if start is None or end is None or end < start or rect is None:
                continue
            count += 1
            clip = ET.SubElement(defs, f"{{{SVG_NS}}}clipPath", {"id": f"plot-clip-{count}"})
            area = ET.SubElement(clip, f"{{{SVG_NS}}}rect", _rect_attributes(rect))
            if children[start].get("transform"):
                area.set("transform", children[start].get("transform", ""))
            group = ET.Element(f"{{{SVG_NS}}}g", {"clip-path": f"url(#plot-clip-{count})"})
            wrapped.append((start, end, group))
        for start, end, group in wrapped:
            for i in range(start + 1, end):
                if i not in removed:
                    group.append(children[i])
                    removed.add(i)
        for i in sorted(removed, reverse=True):
            parent.remove(children[i])
        for inserted, (start, _end, group) in enumerate(sorted(wrapped, key=lambda w: w[0])):
            kept_before = sum(1 for i in range(start) if i not in removed)
            parent.insert(kept_before + inserted, group)
    if count:  # clipPath is beyond SVG Tiny: say it is plain SVG 1.1
        root.set("version", "1.1")
        root.attrib.pop("baseProfile", None)


def _fill(element: ET.Element) -> str:
    return element.get("fill", "").lower()


def _rect_attributes(rect: ET.Element) -> dict[str, str]:
    return {k: rect.get(k, "0") for k in ("x", "y", "width", "height")}


def _flatten_group(group: ET.Element) -> None:
    matrix = _matrix(group.get("transform"))
    if matrix is None or not len(group):
        return
    if matrix == (1.0, 0.0, 0.0, 1.0, 0.0, 0.0):
        del group.attrib["transform"]
        return
    stroked = group.get("stroke", "none") != "none"
    changed: list[tuple[ET.Element, dict[str, str]]] = []
    for child in group:
        tag = child.tag.removeprefix(f"{{{SVG_NS}}}")
        if tag not in _SHAPES:
            return  # text, images, nested groups: keep the transform for all of the group
        if stroked and child.get("vector-effect") != "non-scaling-stroke":
            return  # a pen that scales with the drawing: baking would change its width
        attributes = _baked(tag, child, matrix)
        if attributes is None:
            return
        changed.append((child, attributes))
    for child, attributes in changed:
        child.attrib.update(attributes)
    del group.attrib["transform"]


def _matrix(text: str | None) -> Matrix | None:
    if text is None:
        return None
    match = _MATRIX.match(text)
    if match is None:
        return None
    try:
        values = [float(v) for v in match.group(1).replace(",", " ").split()]
    except ValueError:
        return None
    if len(values) != 6:
        return None
    a, b, c, d, e, f = values
    return a, b, c, d, e, f


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _baked(tag: str, element: ET.Element, m: Matrix) -> dict[str, str] | None:
    """The element's new coordinate attributes with `m` applied, or None if it cannot be."""
    try:
        if tag in ("polyline", "polygon"):
            return {"points": _points(element.get("points", ""), m)}
        if tag == "path":
            d = _path(element.get("d", ""), m)
            return None if d is None else {"d": d}
        if tag == "line":
            x1, y1 = _apply(m, float(element.get("x1", 0)), float(element.get("y1", 0)))
            x2, y2 = _apply(m, float(element.get("x2", 0)), float(element.get("y2", 0)))
            return {"x1": _fmt(x1), "y1": _fmt(y1), "x2": _fmt(x2), "y2": _fmt(y2)}
        if tag == "rect":
            return _rect(element, m)
        return _round(element, tag, m)
    except ValueError:
        return None


def _points(text: str, m: Matrix) -> str:
    numbers = [float(v) for v in text.replace(",", " ").split()]
    if len(numbers) % 2:
        raise ValueError("odd number of coordinates")
    pairs = (_apply(m, numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2))
    return " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in pairs)


def _path(d: str, m: Matrix) -> str | None:
    tokens = _PATH_TOKEN.findall(d)
    out: list[str] = []
    i = 0
    command = ""
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            if token not in _PAIRS:
                return None  # relative or arc commands: not what Qt writes; leave it alone
            command = token
            out.append(command)
            i += 1
            if command == "Z":
                continue
        elif not command or command == "Z":
            return None
        pairs = _PAIRS[command]
        coords = tokens[i : i + 2 * pairs]
        if len(coords) < 2 * pairs or any(t.isalpha() for t in coords):
            return None
        for k in range(pairs):
            x, y = _apply(m, float(coords[2 * k]), float(coords[2 * k + 1]))
            out.append(f"{_fmt(x)},{_fmt(y)}")
        i += 2 * pairs
    return " ".join(out)


def _rect(element: ET.Element, m: Matrix) -> dict[str, str] | None:
    a, b, c, d, _e, _f = m
    if not ((b == 0 and c == 0) or (a == 0 and d == 0)):
        return None  # rotated or sheared: no longer a rect
    if element.get("rx") or element.get("ry"):
        return None
    x, y = float(element.get("x", 0)), float(element.get("y", 0))
    w, h = float(element.get("width", 0)), float(element.get("height", 0))
    x1, y1 = _apply(m, x, y)
    x2, y2 = _apply(m, x + w, y + h)
    return {
        "x": _fmt(min(x1, x2)),
        "y": _fmt(min(y1, y2)),
        "width": _fmt(abs(x2 - x1)),
        "height": _fmt(abs(y2 - y1)),
    }


def _round(element: ET.Element, tag: str, m: Matrix) -> dict[str, str] | None:
    """Circles and ellipses under a scale and a shift (no rotation)."""
    a, b, c, d, _e, _f = m
    if b != 0 or c != 0:
        return None
    cx, cy = _apply(m, float(element.get("cx", 0)), float(element.get("cy", 0)))
    if tag == "circle":
        if abs(abs(a) - abs(d)) > 1e-9 * max(abs(a), abs(d)):
            return None  # a circle scaled unevenly is an ellipse
        return {"cx": _fmt(cx), "cy": _fmt(cy), "r": _fmt(abs(a) * float(element.get("r", 0)))}
    rx, ry = abs(a) * float(element.get("rx", 0)), abs(d) * float(element.get("ry", 0))
    return {"cx": _fmt(cx), "cy": _fmt(cy), "rx": _fmt(rx), "ry": _fmt(ry)}
