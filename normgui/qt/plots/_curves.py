"""The two curve plots: the activation with its tangent, and its slope, each with the regime
bands and A and B placed on the curve."""

from __future__ import annotations

import html
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray
from PySide6.QtGui import QPen

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.activations import ActivationCurve
from normgui.core.pipeline import Frame, SeriesFrame
from normgui.core.readouts import percent
from normgui.qt.plots._axes import grid_axes
from normgui.qt.plots._bands import RegimeBands
from normgui.qt.plots._items import CurveMarks, curve_across, density_marks
from normgui.qt.plots._layers import keep_painted
from normgui.qt.plots._marks import MarkStyle
from normgui.qt.plots._plot import Range, Ranges
from normgui.qt.plots._same import ab_same, same_words
from normgui.qt.plots._strip import Strip
from normgui.qt.plots._style import (
    SeriesStyle,
    blend,
    brush,
    font,
    function_symbol,
    new_plot,
    padded,
    pen,
    series_styles,
    set_axis_label,
    style_plot,
)
from normgui.qt.theme import LIGHT, Theme

FloatArray = NDArray[np.floating]
# Symbols in italic, as in print; also where upright DejaVu Sans would drop the hat of x̂.
X_LABEL = "pre-activation <i>y</i> = γ·<i>x̂</i> + β"


def crowded(style: MarkStyle, count: int) -> MarkStyle:
    """Smaller marks when there are many, so that A and B hide each other less: full size up
    to 300 marks, down to half size at about 5000."""
    if count <= 300:
        return style
    return replace(style, size=style.size * max(0.5, (300.0 / count) ** 0.25))


def same_ghosts(old: tuple[object, ...] | None, new: tuple[object, ...]) -> bool:
    """Whether raw ghosts drawn for `old` stand as they are for `new`: the same input arrays
    (by identity: a frame reuses its State's) and the same view, activation and mark style."""
    return old is not None and old[0] is new[0] and old[1] is new[1] and old[2:] == new[2:]


class CurvePlot:
    """A curve over the plotted range of pre-activations with the regime bands shaded, A and B
    as marks on it, and the raw inputs as faint ghosts when asked for."""

    title = ""

    def __init__(self) -> None:
        self.widget = pg.PlotWidget(axisItems=grid_axes(), enableMenu=False)  # (see new_plot)
        self.plot = new_plot(self.widget.getPlotItem())
        self.plot.setLabel("bottom", X_LABEL)
        self.bands = RegimeBands(self.plot)
        self.curve = pg.PlotDataItem(antialias=True)
        self.curve.setZValue(10)
        self.plot.addItem(self.curve)
        keep_painted(self.curve.curve)
        self.marks = (CurveMarks(self.plot, 31), CurveMarks(self.plot, 30))  # A over B
        self.ghosts = (CurveMarks(self.plot, 21), CurveMarks(self.plot, 20))
        self._theme = LIGHT
        self._styles = series_styles(LIGHT)
        self._activation = ""
        self._frame: Frame | None = None
        self._curve_key: tuple[object, ...] = ()  # what the curve and bands were drawn for
        self._y_key: tuple[object, ...] = ()  # what the y range below is for
        self._curve_y: Range = (0.0, 1.0)  # the y range the curve needs there
        self._ghost_edge = brush(LIGHT.foreground, 60)
        self._ghost_keys: list[tuple[object, ...] | None] = [None, None]  # see draw()
        self.covers = {self.plot: self.cover}

    # What differs between the activation and the slope plot.
    def curve_values(self, frame: Frame) -> FloatArray:
        raise NotImplementedError

    def curve_of(self, curve: ActivationCurve) -> FloatArray:
        """What this plot draws of an activation curve drawn across the range shown."""
        raise NotImplementedError

    def series_values(self, s: SeriesFrame) -> FloatArray:
        raise NotImplementedError

    def y_label(self, activation: str) -> str:
        raise NotImplementedError

    def y_range(self, curve: FloatArray) -> tuple[float, float]:
        # Room for a whole mark (B's ring is the largest) at the curve's top and bottom, where
        # the saturated values lie, in a plot only a hundred pixels high.
        return padded(float(curve.min()), float(curve.max()), 0.09)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._styles = series_styles(theme)
        self.widget.setBackground(theme.background)
        style_plot(self.plot, theme, self.title)
        self.bands.set_theme(theme)
        self.curve.setPen(pen(theme.curve, theme.line_width * 1.2))
        self._ghost_edge = brush(theme.foreground, 60)

    def draw(self, frame: Frame) -> dict[pg.PlotItem, Ranges]:
        """Draw `frame`'s marks; returns the (x, y) range the plot needs. The curve and the
        bands are drawn by cover(), once the plot area has chosen the range to show."""
        activation = frame.state.activation
        if activation != self._activation:
            self._activation = activation
            set_axis_label(self.plot, "left", self.y_label(activation))
        self._frame = frame
        curve = self.curve_values(frame)
        show_raw = frame.state.show_raw
        for i, (marks, ghosts, style) in enumerate(
            zip(self.marks, self.ghosts, self._styles, strict=True)
        ):
            s = frame.series[i] if i < len(frame.series) else None
            marks.set_visible(s is not None)
            ghosts.set_visible(s is not None and show_raw)
            if s is None:
                continue
            # B on top of A would hide under it: drawn as an outline around it instead.
            ringed = s is frame.b and ab_same(frame)
            self._draw_series(marks, s, frame, curve, style, ringed)
            # The raw inputs stay where they are while γ or β move: not drawn (nor repainted)
            # again unless what places them changed.
            ghost_key = (s.raw, s.hist_raw, frame.z_view, frame.state.activation, style.ghost)
            if show_raw and not same_ghosts(self._ghost_keys[i], ghost_key):
                self._draw_ghosts(ghosts, s, frame, curve, style)
            self._ghost_keys[i] = ghost_key if show_raw else None
        return {self.plot: (padded(*frame.z_view, 0.02), self.y_range(curve))}

    def cover(self, x: Range, drawn: Range) -> Range:
        """The y range the activation needs across `x`, the range the plot is to show; it is
        drawn across `drawn` (`x`, or the mouse's zoom: its regime bands shade the range shown
        from the same cached curve). They depend on that range, the activation and the regime
        settings only: while γ or β move within the range shown (the plot area keeps it steady
        while frames follow each other closely), they are not drawn again."""
        assert self._frame is not None, "cover() follows draw()"
        state = self._frame.state
        key = (state.activation, state.regime, drawn)
        if key != self._curve_key:
            self._curve_key = key
            self.draw_curve(curve_across(drawn, state.activation, state.regime))
            self.bands.set_regimes(state.activation, state.regime)
        key = (state.activation, state.regime, x)
        if key != self._y_key:
            self._y_key = key
            curve = curve_across(x, state.activation, state.regime)
            self._curve_y = self.y_range(self.curve_of(curve))
        return self._curve_y

    def draw_curve(self, curve: ActivationCurve) -> None:
        """The curve across the range shown (the bands follow that range themselves)."""
        self.curve.setData(curve.z, self.curve_of(curve))

    def _draw_series(
        self,
        marks: CurveMarks,
        s: SeriesFrame,
        frame: Frame,
        curve: FloatArray,
        style: SeriesStyle,
        ringed: bool = False,
    ) -> None:
        z: FloatArray
        y: FloatArray
        if frame.use_density:
            z, sizes = density_marks(
                s.density,
                s.below_view,
                s.above_view,
                frame.z_view,
                style.density.size,
                shifted=s is frame.b,
            )
            marks.set_points(z, np.interp(z, frame.curve_z, curve), style.density, sizes)
        else:
            z, y = s.affine.ravel(), self.series_values(s).ravel()
            if s.below_view or s.above_view:
                inside = (z >= frame.z_view[0]) & (z <= frame.z_view[1])
                z, y = z[inside], y[inside]
            marks.set_points(z, y, crowded(style.ring if ringed else style.point, z.size))
        marks.set_edges(
            s.below_view,
            s.above_view,
            frame.curve_z,
            curve,
            style.point.size,
            style.edge_pen,
            style.edge_brush,
        )

    def _draw_ghosts(
        self,
        ghosts: CurveMarks,
        s: SeriesFrame,
        frame: Frame,
        curve: FloatArray,
        style: SeriesStyle,
    ) -> None:
        """The raw inputs as if they went into the activation un-normalized: hollow marks on the
        curve, clipped to the view with a triangle at the edge for those beyond it."""
        lo, hi = frame.z_view
        if frame.use_density:
            centres = 0.5 * (s.hist_raw.edges[:-1] + s.hist_raw.edges[1:])
            counts = s.hist_raw.counts
            below = int(counts[centres < lo].sum())
            above = int(counts[centres > hi].sum())
            z, sizes = density_marks(
                s.hist_raw, 0, 0, frame.z_view, style.ghost.size, shifted=s is frame.b
            )
            ghosts.set_points(z, np.interp(z, frame.curve_z, curve), style.ghost, sizes)
        else:
            raw = s.raw.ravel()
            outside_low, outside_high = raw < lo, raw > hi
            below, above = int(np.count_nonzero(outside_low)), int(np.count_nonzero(outside_high))
            z = raw[~(outside_low | outside_high)] if below or above else raw
            ghosts.set_points(z, np.interp(z, frame.curve_z, curve), crowded(style.ghost, z.size))
        ghosts.set_edges(
            below, above, frame.curve_z, curve, style.ghost.size, style.edge_pen, self._ghost_edge
        )


class ActivationPlot(CurvePlot):
    """Plot 1: the activation, its tangent at 0, and a readout of where A and B fall."""

    title = "Through the activation"

    def __init__(self) -> None:
        super().__init__()
        self.tangent = pg.PlotDataItem(antialias=True)
        self.tangent.setZValue(9)
        self.plot.addItem(self.tangent, ignoreBounds=True)  # it runs far off the curve's range
        keep_painted(self.tangent.curve)
        # Above the data what people read, under the axis the key: outside the data area, so
        # that neither ever covers a point (see Strip).
        self.readout = Strip(self.plot, "above", share=0.3)
        self.key = Strip(self.plot, "below", share=0.15)

    def curve_values(self, frame: Frame) -> FloatArray:
        return frame.curve_act

    def series_values(self, s: SeriesFrame) -> FloatArray:
        return s.activated

    def y_label(self, activation: str) -> str:
        return f"activation {function_symbol(activation)}(y)"

    def set_theme(self, theme: Theme) -> None:
        super().set_theme(theme)
        self.tangent.setPen(pen(theme.tangent, theme.line_width * 0.8, dashed=True))
        # The readout is what people read; the key only needs reading once: smaller on a projector.
        self.readout.set_style(font(theme, 0.9 if theme.font_pt <= 12 else 0.8), theme.foreground)
        self.key.set_style(font(theme, 0.85 if theme.font_pt <= 12 else 0.7), theme.foreground)
        self.key.set_html("")  # the swatch colours depend on the theme: rebuilt on next draw

    def curve_of(self, curve: ActivationCurve) -> FloatArray:
        return curve.act

    def draw_curve(self, curve: ActivationCurve) -> None:
        super().draw_curve(curve)
        self.tangent.setData(curve.z, curve.tangent)

    def draw(self, frame: Frame) -> dict[pg.PlotItem, Ranges]:
        ranges = super().draw(frame)
        self.readout.set_html(self._readout_html(frame))
        self.key.set_html(self._key_html(frame))
        return ranges

    def _readout_html(self, frame: Frame) -> str:
        slope = function_symbol(frame.state.activation) + "′"
        rows = []  # non-breaking spaces inside each figure: a narrow plot wraps between them
        for s, style in zip(frame.series, self._styles, strict=False):
            r = s.regime
            rows.append(
                f'<span style="color:{style.color}">{style.glyph}</span> '
                f"<b>{html.escape(s.label)}</b>: {percent(r.linear)}&nbsp;linear · "
                f"{percent(r.saturated)}&nbsp;saturated · mean&nbsp;{slope}&nbsp;{r.mean_grad:.3g}"
            )
            if s.below_view or s.above_view:
                sides = [f"◀ {s.below_view:,}" if s.below_view else ""]
                sides.append(f"{s.above_view:,} ▶" if s.above_view else "")
                rows.append(
                    "&nbsp;&nbsp;&nbsp;&nbsp;beyond the plotted range: "
                    + " · ".join(x for x in sides if x)
                )
        if frame.use_density:
            total = sum(s.size for s in frame.series)
            rows.append(f"<i>{total:,} values: mark size shows how many</i>")
        same = same_words(frame)
        if same:
            rows.append(same)
        return "<br/>".join(rows)

    def _key_html(self, frame: Frame) -> str:
        """One line under the axis, wrapping between its entries rather than inside them."""
        theme = self._theme

        def entry(colour: str, mark: str, text: str) -> str:
            words = html.escape(text).replace(" ", "&nbsp;")
            return f'<span style="color:{colour}">{mark}</span>&nbsp;{words}'

        linear = blend(theme.linear_band, theme.background, gain=3.0)
        saturated = blend(theme.saturation_band, theme.background, gain=3.0)
        parts = frame.regime_text.split("; ")
        if len(parts) == 2 and parts[0].startswith("linear") and parts[1].startswith("saturated"):
            rows = [entry(linear, "■", parts[0]), entry(saturated, "■", parts[1])]
        else:
            rows = [
                entry(linear, "■", "linear") + " " + entry(saturated, "■", "saturated"),
                html.escape(frame.regime_text),
            ]
        rows.append(entry(theme.tangent, "┄┄", "tangent at 0"))
        return " &nbsp; ".join(rows)


class GradientPlot(CurvePlot):
    """Plot 2: the slope of the activation, where gradients vanish."""

    title = "Gradient: where it vanishes"

    def __init__(self) -> None:
        super().__init__()
        self.threshold = pg.InfiniteLine(angle=0, movable=False)
        self.threshold.setZValue(8)
        self.plot.addItem(self.threshold, ignoreBounds=True)
        keep_painted(self.threshold)
        # What the dashed line is, said under the axis rather than on the line, where the
        # points that have nearly saturated lie.
        self.key = Strip(self.plot, "below", share=0.15)
        self._ratio = -1.0

    def curve_values(self, frame: Frame) -> FloatArray:
        return frame.curve_grad

    def curve_of(self, curve: ActivationCurve) -> FloatArray:
        return curve.grad

    def series_values(self, s: SeriesFrame) -> FloatArray:
        return s.grad

    def y_label(self, activation: str) -> str:
        return f"slope {function_symbol(activation)}′(y)"

    def y_range(self, curve: FloatArray) -> tuple[float, float]:
        return padded(min(0.0, float(curve.min())), float(curve.max()), 0.09)

    def set_theme(self, theme: Theme) -> None:
        super().set_theme(theme)
        line_pen: QPen = pen(theme.tangent, max(1.0, theme.line_width * 0.6), dashed=True)
        self.threshold.setPen(line_pen)
        self.key.set_style(font(theme, 0.85 if theme.font_pt <= 12 else 0.7), theme.foreground)
        self._ratio = -1.0  # the key's colours follow the theme: rebuilt on the next draw

    def draw(self, frame: Frame) -> dict[pg.PlotItem, Ranges]:
        ranges = super().draw(frame)
        # The tangent is a straight line, so its slope is exact from its two ends (ReLU's slope
        # at 0 is its right-hand one, the same the core uses for the criterion).
        z, t = frame.curve_z, frame.curve_tangent
        slope0 = float((t[-1] - t[0]) / (z[-1] - z[0]))
        ratio = frame.state.regime.saturation_ratio
        self.threshold.setValue(ratio * slope0)
        if ratio != self._ratio:
            self._ratio = ratio
            self.key.set_html(
                f'<span style="color:{self._theme.tangent}">┄┄</span> saturated below '
                f"{ratio:g} × slope at 0"
            )
        return ranges
