"""Baking QSvgGenerator's transforms into coordinates, and the clip marks (pure XML: no Qt)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from normgui.qt.lecture.svg_flatten import SVG_NS, flatten

NS = {"svg": SVG_NS}


def svg(body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><svg xmlns="{SVG_NS}" version="1.2" '
        f'baseProfile="tiny"><defs></defs><g fill="none">{body}</g></svg>'
    ).encode()


def test_a_cosmetic_curve_in_data_coordinates_lands_on_the_page() -> None:
    body = (
        '<g fill="none" stroke="#000" stroke-width="3" transform="matrix(10,0,0,-100,50,200)">'
        '<path vector-effect="non-scaling-stroke" d="M0,0 L1,1 L2,0.5 Z"/>'
        '<polyline vector-effect="non-scaling-stroke" points="0,0 1,1 "/></g>'
    )
    root = ET.fromstring(flatten(svg(body)))
    group = root.find("svg:g/svg:g", NS)
    assert group is not None and group.get("transform") is None
    path = group.find("svg:path", NS)
    polyline = group.find("svg:polyline", NS)
    assert path is not None and polyline is not None
    assert path.get("d") == "M 50,200 L 60,100 L 70,150 Z"
    assert polyline.get("points") == "50,200 60,100"


def test_rects_and_circles_are_mapped_and_kept_upright() -> None:
    body = (
        '<g fill="#f00" stroke="none" transform="matrix(2,0,0,-2,10,10)">'
        '<rect x="0" y="0" width="3" height="1"/><circle cx="1" cy="1" r="0.5"/></g>'
    )
    group = ET.fromstring(flatten(svg(body))).find("svg:g/svg:g", NS)
    assert group is not None and group.get("transform") is None
    rect, circle = list(group)
    assert [rect.get(k) for k in ("x", "y", "width", "height")] == ["10", "8", "6", "2"]
    assert [circle.get(k) for k in ("cx", "cy", "r")] == ["12", "8", "1"]


def test_what_cannot_be_baked_keeps_its_transform() -> None:
    cases = [
        # text under a rotation
        '<g transform="matrix(0,-1,1,0,5,5)"><text x="0" y="0">label</text></g>',
        # a pen that scales with the drawing
        '<g stroke="#000" transform="matrix(2,0,0,2,0,0)"><polyline points="0,0 1,1"/></g>',
        # a circle under an uneven scale is an ellipse
        '<g transform="matrix(2,0,0,3,0,0)"><circle cx="0" cy="0" r="1"/></g>',
        # relative path commands: not what Qt writes
        '<g transform="matrix(2,0,0,2,0,0)"><path d="m0,0 l1,1"/></g>',
    ]
    for body in cases:
        group = ET.fromstring(flatten(svg(body))).find("svg:g/svg:g", NS)
        assert group is not None and group.get("transform") is not None, body


def test_clip_marks_become_a_clip_path() -> None:
    body = (
        '<g fill="#fe01c8" stroke="none" transform="matrix(1,0,0,1,10,20)">'
        '<rect x="0" y="0" width="100" height="50"/></g>'
        '<g stroke="#000" transform="matrix(1,0,0,1,0,0)">'
        '<polyline vector-effect="non-scaling-stroke" points="0,0 500,500"/></g>'
        '<g fill="#fd01c8" stroke="none"><rect x="10" y="20" width="100" height="50"/></g>'
        '<g fill="#000"><text x="0" y="0">title</text></g>'
    )
    root = ET.fromstring(flatten(svg(body), [("#FE01C8", "#FD01C8")]))
    clip = root.find("svg:defs/svg:clipPath", NS)
    assert clip is not None and clip.get("id") == "plot-clip-1"
    area = clip.find("svg:rect", NS)
    assert area is not None
    assert [area.get(k) for k in ("x", "y", "width", "height")] == ["10", "20", "100", "50"]
    top = root.find("svg:g", NS)
    assert top is not None
    children = list(top)
    assert children[0].get("clip-path") == "url(#plot-clip-1)"
    assert children[0].find("svg:g/svg:polyline", NS) is not None
    assert children[1].find("svg:text", NS) is not None  # outside the marks: not clipped
    assert not [g for g in root.iter() if g.get("fill", "").lower() in ("#fe01c8", "#fd01c8")]
    assert root.get("version") == "1.1" and root.get("baseProfile") is None


def test_a_start_mark_without_its_end_is_only_removed() -> None:
    body = '<g fill="#fe01c8"><rect x="0" y="0" width="1" height="1"/></g><g><text>t</text></g>'
    root = ET.fromstring(flatten(svg(body), [("#fe01c8", "#fd01c8")]))
    assert root.find("svg:defs/svg:clipPath", NS) is None
    assert not [g for g in root.iter() if g.get("fill") == "#fe01c8"]
    assert root.find(".//svg:text", NS) is not None
