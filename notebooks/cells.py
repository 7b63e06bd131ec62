"""The building blocks of the step notebooks (``notebooks/build.py``): markdown and code cells,
the papermill parameters cell, the opening cell every notebook shares, and the notice on
synthetic data and on where a run writes."""
from __future__ import annotations

NOTICE = ("The cell below says what the study's data are (the study file's own notice) and where this run writes: a "
          "run with other parameters than the study file's (in JupyterLab, by papermill or with `--set`) writes to "
          "its own folder, never into the study's canonical results.")
PARAMS = {
    "study": 'study = "../data/ppip/study.yml"  # study file: codebook, anchors, thresholds, claims',
    "data": "data = None  # raw case data (CSV); None: the file the study file names",
    "out": 'out = "../results/ppip"  # output folder of the run: the study\'s own results folder (see the notice below)',
    "incl_cut": "incl_cut = None  # consistency cut-off of a positive row; None: value in the study file",
    "pri_cut": "pri_cut = None  # PRI cut-off of a positive row; None: value in the study file",
    "n_cut": "n_cut = None  # minimum cases per row; None: value in the study file",
    "necessity_incl": "necessity_incl = None  # inclN of a necessary condition; None: value in the study file",
    "necessity_ron": "necessity_ron = None  # RoN of a necessary condition; None: value in the study file",
}
CUTS = ("incl_cut", "pri_cut", "n_cut", "necessity_incl", "necessity_ron")


def md(text):
    return ("markdown", text.strip("\n"), None)


def code(text, tags=None):
    return ("code", text.strip("\n"), tags)


def figure(text):
    return code(text, ["nbval-ignore-output"])


def parameters(*names, extra=()):
    lines = ["# Parameters: papermill (python -m analysis.pipeline) replaces these values."]
    lines += [PARAMS[n] for n in names] + list(extra)
    return code("\n".join(lines), ["parameters"])


def opening(step: int, imports: str, given: tuple):
    args = "".join(f", {k}={k}" for k in given)
    return code(f"""{imports}
from analysis.report.notebook import display_setup, notice
from analysis.runs import open_run

R = open_run(study, out{args})
S, P = R.study, R.parameters
display_setup(R, step={step})
notice(R)""")
