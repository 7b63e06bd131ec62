"""What keeps a figure cheap to write (issue 28), held as counts and results, not as time: a
saved figure is drawn once per file, its layout is run once for both files, and the label
placement does not depend on the dpi the figure is laid out at."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from analysis.report import canvas
from analysis.report.labels import place_labels


@pytest.fixture
def draws(monkeypatch):
    """The number of times any figure is drawn (with or without output)."""
    count = {"n": 0}
    draw = Figure.draw

    def counted(self, renderer):
        count["n"] += 1
        return draw(self, renderer)

    monkeypatch.setattr(Figure, "draw", counted)
    return count


def _labelled(dpi=None) -> Figure:
    fig = canvas.new_figure(3.5, 3.5)
    if dpi is not None:
        fig.set_dpi(dpi)
    ax = fig.add_subplot()
    ax.set(xlim=(0, 1), ylim=(0, 1), title="points")
    x = np.array([0.1, 0.12, 0.5, 0.52, 0.9, 0.88])
    y = np.array([0.1, 0.14, 0.5, 0.49, 0.9, 0.93])
    ax.scatter(x, y, s=22)
    place_labels(ax, x, y, ["A1", "A2", "B1", "B2", "C1", "C2"], obstacles=[(0.3, 0.3)])
    return fig


def test_a_saved_figure_is_drawn_once_per_file(draws, tmp_path, monkeypatch):
    monkeypatch.delenv(canvas.CHECK_FIGURES, raising=False)        # the run's check, on the drawn pixels
    fig = canvas.new_figure(3.5, 2.5)
    fig.add_subplot().plot([0, 1], [0, 1])
    canvas.finish(fig, "a line")
    paths = canvas.write_png_svg(fig, tmp_path, "line")
    assert [p.rsplit(".", 1)[1] for p in paths] == ["png", "svg"]
    assert draws["n"] == 2, f"drawn {draws['n']} times for two files"
    assert fig.get_layout_engine() is None                         # laid out once, for both files


def test_the_layout_is_the_same_for_both_files_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv(canvas.CHECK_FIGURES, raising=False)
    fig = canvas.new_figure(3.5, 2.5)
    ax = fig.add_subplot()
    ax.set_ylabel("a label that needs room")
    canvas.freeze_layout(fig)
    box = ax.get_position().bounds
    assert box[0] > 0.1, "the layout engine made no room for the y label"
    canvas.write_png_svg(fig, tmp_path, "kept")
    assert ax.get_position().bounds == box


def test_label_placement_does_not_depend_on_the_dpi():
    def offsets(fig):
        return [(a.get_text(), a.get_position(), a.get_ha(), a.get_va())
                for a in fig.axes[0].texts if isinstance(a, Annotation) and a.get_text()]
    assert offsets(_labelled(100)) == offsets(_labelled(150)) == offsets(_labelled(300))
    assert len(offsets(_labelled())) == 6


def test_a_labelled_figure_is_byte_identical_when_saved_twice(tmp_path, monkeypatch):
    monkeypatch.delenv(canvas.CHECK_FIGURES, raising=False)
    for run in ("one", "two"):
        canvas.write_png_svg(_labelled(), tmp_path / run, "labels")
    for name in ("labels.png", "labels.svg"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
