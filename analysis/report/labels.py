"""Case labels that do not collide: a simple, deterministic placement.

``place_labels`` writes one label next to each point of an axes.  The figure is laid out once (its
layout engine fixes where the axes are, without drawing them) and the layout is then frozen; each label in turn tries
``CANDIDATES`` — offsets around its point, nearest first, in points — and takes the first whose
box, measured with the renderer's own text extents, stays inside the axes and overlaps neither
a label already placed nor any point's marker.  A label that finds no free place near its point
is set further out with a thin leader line; only if that fails too does it take the candidate
that overlaps least.  The same input gives the same placement, so the PNG and SVG files stay
byte-identical.

``pick_labels`` decides *which* points are labelled when there are too many to read: at most
``LABEL_LIMIT`` per panel (a count, so the same data give the same labels), taken from groups in
the order of their importance (deviant cases before typical ones) and, within a group, by a
score stated with the figure (lower first; ties in the data's order).  ``not_labelled`` names
the cases left without a label, for the note under the figure: every case of a group is named
somewhere in the figure.

>>> pick_labels([(np.array([True, False, True]), np.array([0.2, 0.0, 0.1]))], limit=1).tolist()
[False, False, True]
"""
from __future__ import annotations

import numpy as np

from .canvas import freeze_layout as canvas_freeze

__all__ = ["place_labels", "freeze_layout", "pick_labels", "not_labelled", "CANDIDATES", "LABEL_LIMIT"]

_DIRECTIONS = [(1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)]
_RADII_NEAR, _RADII_FAR = (3.5, 7.0), (13.0, 20.0, 28.0)
CANDIDATES = [(r, d) for r in _RADII_NEAR + _RADII_FAR for d in _DIRECTIONS]
_ALIGN = {-1: "right", 0: "center", 1: "left"}
LABEL_LIMIT = 8            # labels in one panel at most
_VALIGN = {-1: "top", 0: "center", 1: "bottom"}
_DX, _DY = (np.array([d[i] for _, d in CANDIDATES], dtype=float) for i in (0, 1))
_SCALE = np.array([r if dx == 0 or dy == 0 else r * 0.7071 for r, (dx, dy) in CANDIDATES])   # points
_SHIFT_X, _SHIFT_Y = (np.array([{1: 0.0, 0: 0.5, -1: 1.0}[d[i]] for _, d in CANDIDATES]) for i in (0, 1))
_GAP = 0.72                # points kept clear around a label's box (a pixel at 100 dpi)


def freeze_layout(fig) -> object:
    """Lay ``fig`` out (``canvas.freeze_layout``: its layout engine places the axes, then is taken
    off, so that labels added afterwards do not move them), each axes of fixed aspect in its final
    box; returns the renderer."""
    if getattr(fig, "_labels_frozen", False):
        return fig.canvas.get_renderer()           # laid out and frozen for an earlier axes
    renderer = canvas_freeze(fig)
    for ax in fig.axes:
        ax.apply_aspect()                          # an axes of fixed aspect takes its final box
    fig._labels_frozen = True
    return renderer


def _overlaps(boxes, others) -> np.ndarray:
    """For each of ``boxes`` (n x 4: x0, y0, x1, y1), the summed area it shares with ``others``
    (m x 4), added up in the order of ``others``."""
    if not len(others):
        return np.zeros(len(boxes))
    w = np.minimum(boxes[:, None, 2], others[None, :, 2]) - np.maximum(boxes[:, None, 0], others[None, :, 0])
    h = np.minimum(boxes[:, None, 3], others[None, :, 3]) - np.maximum(boxes[:, None, 1], others[None, :, 1])
    return np.cumsum(np.where((w > 0) & (h > 0), w * h, 0.0), axis=1)[:, -1]


def place_labels(ax, x, y, texts, fontsize: float = 7, color="0.15", marker_px: float | None = None,
                 obstacles=None) -> list:
    """Label the points (``x``, ``y``) of ``ax`` with ``texts`` without collisions.

    ``marker_px`` is the radius of a point's marker in pixels (default: 3 points);
    ``obstacles`` are more (x, y) points in data units that labels must not cover (e.g. the
    unlabelled cases).  Returns the annotations, in the order of the points.  Call it after the
    figure is otherwise complete: it freezes the figure's layout.
    """
    fig = ax.figure
    renderer = freeze_layout(fig)
    to_px = ax.transData.transform
    pts = np.asarray([(a, b) for a, b in zip(x, y)], dtype=float).reshape(-1, 2)
    others = np.asarray(list(obstacles) if obstacles is not None else [], dtype=float).reshape(-1, 2)
    every = np.vstack([pts, others]) if len(others) else pts
    r = marker_px if marker_px is not None else 3.0 * fig.dpi / 72
    at = to_px(every) if len(every) else np.zeros((0, 2))
    marks = np.column_stack([at[:, 0] - r, at[:, 1] - r, at[:, 0] + r, at[:, 1] + r])
    frame = ax.get_window_extent(renderer)
    placed, out = np.zeros((0, 4)), []
    colors = [color] * len(pts) if isinstance(color, str) or np.ndim(color) == 0 else list(color)
    pt = fig.dpi / 72
    gap = _GAP * pt                                    # in points, so the placement is the same at any dpi
    for (xi, yi), text, c in zip(pts, texts, colors):
        px, py = to_px((xi, yi))
        own = np.array([[px - r, py - r, px + r, py + r]])
        ann = ax.annotate(str(text), (xi, yi), xytext=(0, 0), textcoords="offset points", fontsize=fontsize,
                          color=c, annotation_clip=False, zorder=4, ha="left", va="bottom")
        ext = ann.get_window_extent(renderer)          # measured once; candidates only move it
        w, h, x0, y0 = ext.width, ext.height, ext.x0 - px, ext.y0 - py
        left = px + x0 + _DX * (_SCALE * pt) - w * _SHIFT_X
        bottom = py + y0 + _DY * (_SCALE * pt) - h * _SHIFT_Y
        boxes = np.column_stack([left - gap, bottom - gap, left + w + gap, bottom + h + gap])
        inside = (boxes[:, 0] >= frame.x0) & (boxes[:, 2] <= frame.x1) & (boxes[:, 1] >= frame.y0) \
            & (boxes[:, 3] <= frame.y1)
        others = marks[~(marks == own).all(axis=1)]
        cost = _overlaps(boxes, placed) + _overlaps(boxes, others) + _overlaps(boxes, own) + np.where(inside, 0.0, 1e9)
        k = int(np.argmin(cost))                       # the nearest free candidate, else the one overlapping least
        box = boxes[k]
        radius, (dx, dy) = CANDIDATES[k]
        scale = radius if dx == 0 or dy == 0 else radius * 0.7071
        ann.set_position((dx * scale, dy * scale))
        ann.set_ha(_ALIGN[dx])
        ann.set_va(_VALIGN[dy])
        if radius in _RADII_FAR:
            line = ax.annotate("", (xi, yi), xytext=(dx * scale, dy * scale), textcoords="offset points",
                               arrowprops={"arrowstyle": "-", "color": "0.55", "lw": 0.5, "shrinkA": 0,
                                           "shrinkB": 2}, annotation_clip=False, zorder=3)
            line.set_in_layout(False)
        placed = np.vstack([placed, box])
        out.append(ann)
    return out


def pick_labels(groups, limit: int = LABEL_LIMIT) -> np.ndarray:
    """The points to label: ``groups`` is a list of ``(mask, score)`` (boolean and numeric arrays
    over the same points) in the order of their importance; the points of the first group are
    taken by ascending score (ties: the earlier point first), then those of the next, until
    ``limit`` are taken.  Returns a boolean mask."""
    chosen = None
    for mask, score in groups:
        mask = np.asarray(mask, dtype=bool)
        if chosen is None:
            chosen = np.zeros(len(mask), dtype=bool)
        idx = np.flatnonzero(mask & ~chosen)
        order = idx[np.argsort(np.asarray(score, dtype=float)[idx], kind="stable")]
        chosen[order[:max(limit - int(chosen.sum()), 0)]] = True
    return chosen if chosen is not None else np.zeros(0, dtype=bool)


def not_labelled(names, groups, chosen) -> list:
    """``(group name, cases)`` of every group with cases ``chosen`` leaves without a label, in the
    data's order; ``groups`` is a list of ``(group name, mask)``."""
    out = []
    for name, mask in groups:
        left = [str(n) for n, m, c in zip(names, np.asarray(mask, dtype=bool), chosen) if m and not c]
        if left:
            out.append((name, left))
    return out
