"""The figures a reader sees: none wider than the page, every figure of a synthetic stand-in
stamped, configuration charts in model order with every tied model shown, labels thinned by a
counted rule, and the specification curve's key and share without a solution.

The fast tests draw charts from hand-made configuration tables; the slow ones open the PNG and
SVG files of a whole run of every study (``study_runs``) and read what was saved: the PNG's
header (width in pixels, pixels per metre), the SVG's width attribute and its texts (matplotlib
keeps text as text in SVG), so a stamp or a column that was not drawn is not found.
"""
import json
import re
import struct
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib.text import Annotation

from analysis.multiverse.claims_curve import claims_curve
from analysis.multiverse.curve import choice_key, specification_curve
from analysis.report import canvas
from analysis.report.configurations import (FIT_ROWS, SOLUTION_ROWS, SYMBOLS, configuration_figures, fiss_order,
                                            study_chart, tied_models_table)
from analysis.report.labels import LABEL_LIMIT
from analysis.report.xy import xy_plot
from conftest import ROOT

CONDS = list("ABCDEFG")
CORE, PERIPHERAL, CORE_NOT = SYMBOLS[("core", True)], SYMBOLS[("peripheral", True)], SYMBOLS[("core", False)]
LABEL = re.compile(r"\d+[a-z]*")
MODEL = re.compile(r"C(\d+)P(\d+) M(\d+)")


def _table(columns: dict, block="C1P1", model=1) -> pd.DataFrame:
    """A configuration table by hand: ``columns`` maps a Fiss label to {condition: symbol}."""
    rows = {}
    for k, (name, symbols) in enumerate(columns.items()):
        rows[name] = {c: symbols.get(c, "") for c in CONDS}
        rows[name].update({"inclS": 0.9 + k / 1000, "PRI": 0.8, "covS": 0.3, "covU": 0.01 * (k + 1)})
    table = pd.DataFrame(rows, index=CONDS + FIT_ROWS, dtype=object)
    for row, v in zip(SOLUTION_ROWS, (0.95, 0.9, 0.8)):
        table.loc[row] = [v] + [""] * (len(columns) - 1)
    table.attrs.update({"block": block, "model": model})
    return table


def _tied(n_models: int = 14, per_model: int = 7) -> list:
    """Tied models sharing most configurations: model m contains configurations m..m+per_model-1."""
    pool = [{CONDS[k % 7]: CORE, CONDS[(k + 1) % 7]: PERIPHERAL, CONDS[(k + 3) % 7]: CORE_NOT if k % 2 else ""}
            for k in range(n_models + per_model)]
    tables = []
    for m in range(n_models):
        chosen = pool[m:m + per_model]
        tables.append(_table({str(j + 1): s for j, s in enumerate(chosen)}, block=f"C{m + 1}P1", model=1))
    return tables


def _texts(fig) -> list:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_visible()]


def test_the_page_width_is_enforced_when_a_figure_is_saved(tmp_path):
    canvas.write_png_svg(canvas.new_figure(canvas.FULL, 1), tmp_path / "ok", "exact")
    with pytest.raises(canvas.FigureTooWide, match="7.20 in wide"):
        canvas.write_png_svg(canvas.new_figure(7.2, 1), tmp_path / "wide", "wide")
    assert not (tmp_path / "wide").exists(), "a figure wider than the page was written"


def test_tied_models_beyond_the_page_are_continued_in_model_order(tmp_path):
    tables = _tied()
    canvas.set_stamp(canvas.SYNTHETIC_STAMP)
    try:
        charts = configuration_figures(tables, "notY", "~Y")
    finally:
        canvas.set_stamp(None)
    assert len(charts) > 1
    assert [f["name"] for f, _ in charts] == ["notY"] + [f"notY_part{k}" for k in range(2, len(charts) + 1)]
    shown, models = [], None
    for k, (fields, fig) in enumerate(charts, 1):
        assert fig.get_size_inches()[0] <= canvas.FULL
        canvas.write_png_svg(fig, tmp_path, fields["name"])           # fits, not clipped
        texts = _texts(fig)
        assert canvas.SYNTHETIC_STAMP in fig._suptitle.get_text()
        assert ("continued" in fig._suptitle.get_text()) == (k > 1)
        shown += [t for t in texts if LABEL.fullmatch(t)]
        models = [t for t in texts if MODEL.fullmatch(t)]
        assert models == [f"C{m}P1 M1" for m in range(1, 15)], "every tied model, in model order"
    table = tied_models_table(tables)
    configs = [c for c in table.columns if c not in SOLUTION_ROWS]
    assert shown == configs == sorted(configs, key=fiss_order), "each configuration once, in Fiss order, on the charts"
    for t in tables:                 # a model's row marks exactly its configurations, with their covU
        row = table.loc[f"{t.attrs['block']} M1", configs]
        assert int((row != "").sum()) == len(t.columns)
        for c in t.columns:
            key = [t.at[r, c] for r in CONDS]
            match = [x for x in configs if list(table.loc[CONDS, x]) == key]
            assert len(match) == 1 and row[match[0]] == t.at["covU", c]


def test_a_model_too_wide_for_one_chart_is_continued(tmp_path):
    wide = _table({str(k + 1): {CONDS[k % 7]: CORE, CONDS[(k + 2) % 7]: PERIPHERAL} for k in range(30)})
    charts = configuration_figures([wide], "Y", "Y")
    assert len(charts) >= 2
    labels = []
    for fields, fig in charts:
        canvas.write_png_svg(fig, tmp_path, fields["name"])
        labels += [t for t in _texts(fig) if LABEL.fullmatch(t)]
    assert labels == [str(k + 1) for k in range(30)]


def test_the_study_chart_fits_the_page_in_bands(tmp_path):
    outcomes = [(f"Y{k}", _tied(2, 6)) for k in range(5)]
    fig = study_chart(outcomes)
    canvas.write_png_svg(fig, tmp_path, "configurations")
    texts = _texts(fig)
    assert all(f"Y{k} (model 1 of 2)" in texts for k in range(5))
    assert any("Tied models" in t for t in texts)
    assert study_chart([("Y", [])]) is None


def test_fiss_order():
    assert sorted(["3b", "1c", "2", "3a", "1a", "1b", "12"], key=fiss_order) == ["1a", "1b", "1c", "2", "3a", "3b", "12"]


def test_labels_are_thinned_and_the_others_named():
    n = 30
    x = np.linspace(0.55, 0.95, n)
    data = pd.DataFrame({"X": x, "Y": np.clip(x + 0.03, 0, 1)}, index=[f"C{k:02d}" for k in range(n)])
    data.loc["D1"] = (0.1, 0.9)                       # deviant for necessity: labelled before any typical case
    fig = xy_plot(data, "X", "Y")
    labels = [a.get_text() for a in fig.axes[0].findobj(Annotation) if a.get_text()]
    assert len(labels) == LABEL_LIMIT and "D1" in labels
    note = " ".join(fig._supxlabel.get_text().split())
    unlabelled = [c for c in data.index if c not in labels and c != "D1"]
    assert all(re.search(rf"\b{c}\b", note) for c in unlabelled), "a typical case is neither labelled nor named"


def test_the_curve_keys_every_choice_and_states_what_has_no_solution(tmp_path):
    grid = [{"name": "incl_cut", "kind": "cut", "values": [0.75, 0.8, 0.85]},
            {"name": "cases", "kind": "cases", "values": ["all"] + [f"-C{k}" for k in range(8)]}]
    rng = np.random.default_rng(0)
    curve = pd.DataFrame({"spec": range(40), "incl_cut": rng.choice([0.75, 0.8, 0.85], 40),
                          "cases": rng.choice(["all", "-C1", "-C2"], 40), "Y: inclS": rng.uniform(0.8, 1, 40),
                          "Y: covS": rng.uniform(0.3, 0.8, 40)})
    curve.loc[:15, ["Y: inclS", "Y: covS"]] = np.nan                   # 16 of 40 without a solution
    fig = specification_curve(curve, grid, ["Y"])
    canvas.write_png_svg(fig, tmp_path, "curve")
    texts = _texts(fig)
    assert "Y\nno solution: 40% (16 of 40)" in texts
    assert {"incl_cut:", "cases:", "0.75", "0.8", "0.85", "all", "one left out (8)"} <= set(texts)
    assert [t for t, _ in choice_key(grid[1])] == ["all", "one left out (8)"]
    findings = pd.DataFrame({"finding": ["a", "b"], "kind": ["claim"] * 2, "text": ["", ""], "judged": [10, 0],
                             "holds": [3, 0], "share": [0.3, np.nan], "no_solution": [4, 0]})
    fig = claims_curve(findings, pd.DataFrame(columns=["finding"]), specifications=40)
    canvas.write_png_svg(fig, tmp_path, "claims")
    assert "30% (3/10), 4 of them without a solution" in _texts(fig)


# ----------------------------------------------------------------------- whole runs (slow)

def _png_size_inches(path) -> tuple:
    """Width and height in inches from a PNG's header: IHDR's pixels, pHYs' pixels per metre."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    at = data.index(b"pHYs")
    ppm_x, _, unit = struct.unpack(">IIB", data[at + 4:at + 13])
    assert unit == 1, f"{path.name}: pHYs not in pixels per metre"
    dpi = ppm_x * 0.0254
    return width / dpi, height / dpi


def _svg_texts(path) -> list:
    """(text, x, y) of every text of an SVG written by matplotlib (font type none)."""
    out = []
    for el in ET.parse(path).getroot().iter("{http://www.w3.org/2000/svg}text"):
        text = "".join(el.itertext())
        x, y = el.get("x"), el.get("y")
        if x is None:
            m = re.search(r"translate\(([-\d.e]+) ([-\d.e]+)\)", el.get("transform", ""))
            x, y = (m.group(1), m.group(2)) if m else (0, 0)
        out.append((text, float(x), float(y), "700" in (el.get("style") or "")))
    return out


def _svg_width_inches(path) -> float:
    width = ET.parse(path).getroot().get("width")
    assert width.endswith("pt"), width
    return float(width[:-2]) / 72


STUDIES = ["ppip", "pss", "lipset"]


@pytest.fixture(scope="module", params=[pytest.param(s, marks=pytest.mark.xdist_group(s)) for s in STUDIES])
def run(request, study_runs):
    synthetic = yaml.safe_load((ROOT / "data" / request.param / "study.yml").read_text())["synthetic"]
    return request.param, study_runs(request.param), synthetic


@pytest.mark.slow
def test_every_saved_figure_fits_the_page_and_is_stamped_when_a_stand_in(run):
    study, out, synthetic = run
    pngs = sorted((out / "figures").glob("*.png"))
    assert len(pngs) >= 8, f"{study}: only {len(pngs)} figures"
    for png in pngs:
        svg = png.with_suffix(".svg")
        w, _ = _png_size_inches(png)
        assert w <= canvas.FULL + 1e-6, f"{study}/{png.name}: {w:.2f} in wide at its saved dpi"
        assert _svg_width_inches(svg) <= canvas.FULL + 1e-6, f"{study}/{svg.name}"
        stamped = any(t == canvas.SYNTHETIC_STAMP for t, *_ in _svg_texts(svg))
        assert stamped == bool(synthetic), f"{study}/{png.name}: stamp {'missing' if synthetic else 'on published data'}"


def _panels(labels) -> list:
    """Column labels of one chart row (x-sorted) cut where the gap is wider than a column."""
    labels = sorted(labels, key=lambda t: t[1])
    if not labels:
        return []
    step = min((b[1] - a[1] for a, b in zip(labels, labels[1:])), default=1.0)
    panels, current = [], [labels[0][0]]
    for a, b in zip(labels, labels[1:]):
        if b[1] - a[1] > 1.5 * step:
            panels.append(current)
            current = []
        current.append(b[0])
    return panels + [current]


@pytest.mark.slow
def test_configuration_charts_are_in_model_order(run):
    study, out, _ = run
    charts = sorted((out / "figures").glob("configurations*.svg"))
    assert charts, study
    for svg in charts:
        texts = _svg_texts(svg)
        # (the baseline of a label with an ascender, such as 2b, may differ in the fourth decimal)
        bold = [(t, x, round(y, 1)) for t, x, y, b in texts if b and LABEL.fullmatch(t)]
        for y in sorted({y for *_, y in bold}):                 # one band at a time
            for panel in _panels([(t, x) for t, x, yy in bold if yy == y]):
                assert panel == sorted(panel, key=fiss_order), f"{study}/{svg.name}: columns {panel}"
        models = [(MODEL.fullmatch(t), y) for t, x, y, _ in texts if MODEL.fullmatch(t)]
        rows = [tuple(map(int, m.groups())) for m, _ in sorted(models, key=lambda p: p[1]) if m]
        assert rows == sorted(rows), f"{study}/{svg.name}: model rows {rows}"
    for part in sorted((out / "figures").glob("configurations_*_part*.svg")):
        k = int(re.search(r"_part(\d+)$", part.stem).group(1))      # goes on where the chart before stopped
        name = re.sub(r"_part\d+$", "", part.stem)
        before = _chart_columns_and_models(out / "figures" / (f"{name}.svg" if k == 2 else f"{name}_part{k - 1}.svg"))
        now = _chart_columns_and_models(part)
        if now[1] == before[1]:                    # the same models: the columns go on
            assert fiss_order(now[0][0]) > fiss_order(before[0][-1]), f"{study}/{part.name}"
        else:                                      # the next models
            assert now[1][0] > before[1][-1], f"{study}/{part.name}"


def _chart_columns_and_models(svg) -> tuple:
    texts = _svg_texts(svg)
    columns = sorted((t for t, _, _, b in texts if b and LABEL.fullmatch(t)), key=fiss_order)
    models = sorted(tuple(map(int, MODEL.fullmatch(t).groups())) for t, *_ in texts if MODEL.fullmatch(t))
    return columns, models


def _axes_texts(svg) -> list:
    """The texts of each axes (panel) of an SVG written by matplotlib: ``<g id="axes_N">``."""
    ns = "{http://www.w3.org/2000/svg}"
    return [["".join(t.itertext()) for t in g.iter(f"{ns}text")]
            for g in ET.parse(svg).getroot().iter(f"{ns}g") if re.fullmatch(r"axes_\d+", g.get("id", ""))]


@pytest.mark.slow
def test_case_labels_in_a_run_are_thinned_to_the_limit(run):
    """No panel of an XY plot or of a terms figure labels more than LABEL_LIMIT cases, nor one
    case twice (terms_notMPV once had 25 labels with leader lines in its solution panel)."""
    study, out, _ = run
    cases = set(pd.read_csv(out / "tables" / "calibrated.csv", dtype=str).iloc[:, 0])
    figures = sorted((out / "figures").glob("terms_*.svg")) + sorted((out / "figures").glob("xy_*.svg"))
    assert figures, study
    most = 0
    for svg in figures:
        for k, texts in enumerate(_axes_texts(svg), 1):
            labels = [t for t in texts if t in cases]
            assert len(labels) <= LABEL_LIMIT, f"{study}/{svg.name} panel {k}: {len(labels)} labels"
            assert len(labels) == len(set(labels)), f"{study}/{svg.name} panel {k}: a case labelled twice"
            most = max(most, len(labels))
    assert most > 0, f"{study}: no case labelled in any panel"


@pytest.mark.slow
def test_the_specification_curve_of_a_run_keys_its_choices_and_states_what_has_no_solution(run):
    """The run's curve, recounted from its chunks: every analysis drawn says how many of the
    specifications have no solution (the grey band), and every choice that varies has its row
    and its values in the key."""
    study, out, _ = run
    manifest = json.loads((out / "multiverse" / "manifest.json").read_text())
    chunks = pd.concat([pd.read_parquet(p) for p in sorted((out / "multiverse" / "chunks").glob("*.parquet"))])
    texts = [t for t, *_ in _svg_texts(out / "figures" / "multiverse_curve.svg")]
    drawn = [c[:-len(": inclS")] for c in chunks.columns if c.endswith(": inclS") and c[:-len(": inclS")] in texts]
    assert drawn, f"{study}: no analysis of the chunks is drawn"
    total = len(chunks)
    assert f"Specification curve: {total:,} specifications" in texts
    for a in drawn:
        missing = int(chunks[f"{a}: inclS"].isna().sum())
        said = f"no solution: {missing / total:.0%} ({missing} of {total})" if missing else "a solution in every one"
        assert said in texts, f"{study}: {a}: '{said}' not in the curve"
    varying = [g for g in manifest["grid"] if len(g["values"]) > 1]
    assert varying, study
    for g in varying:
        assert g["name"] in texts, f"{study}: no row for the choice {g['name']}"
        assert {t for t, _ in choice_key(g)} <= set(texts), f"{study}: the key of {g['name']} is missing values"


def test_a_robustness_panel_without_an_initial_solution_shows_no_nan():
    from types import SimpleNamespace
    from analysis.robustness.tables import _panel_title
    r = SimpleNamespace(label="VALUE", fit=SimpleNamespace(RF_SC_minTS=float("nan")), ratios=SimpleNamespace(RCC_Rank=2))
    assert _panel_title(r) == "VALUE (RF_SC_minTS – (IS empty), RCC_Rank 2)"
    r.fit.RF_SC_minTS = 0.372
    assert _panel_title(r) == "VALUE (RF_SC_minTS 0.37, RCC_Rank 2)"
