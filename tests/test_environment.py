"""The conda/Binder environment and the pip lock used by make pin the same versions; CI calls the README's test command."""
import re

import yaml

from conftest import ROOT


def lock_pins():
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def environment_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    pins = {}
    for item in pip:
        m = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)$", item)
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def test_environment_yml_pins_equal_the_lock():
    lock, env = lock_pins(), environment_pins()
    assert env, "environment.yml pins nothing"
    mismatched = {name: (version, lock.get(name)) for name, version in env.items() if lock.get(name) != version}
    assert not mismatched, f"environment.yml and requirements.lock disagree: {mismatched}"


def test_every_direct_dependency_is_pinned_in_both():
    needed = {"numpy", "pandas", "scipy", "numba", "matplotlib", "pyyaml", "papermill", "nbval", "pytest", "jupyterlab"}
    assert needed <= set(lock_pins())
    assert needed <= set(environment_pins())


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert "make test" in [line.strip() for line in ci]
