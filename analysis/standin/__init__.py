"""Synthetic stand-in case bases, generated from a study file's data-generating process.

``python -m analysis.standin --study data/<study>/study.yml`` writes the study's raw data file
from its ``standin:`` section (``design``: what the section says; ``generate``: how it is drawn).
"""
from .design import Design, IndicatorSpec, read_design
from .generate import formatted, generate, latent_memberships, write_csv

__all__ = ["Design", "IndicatorSpec", "read_design", "generate", "latent_memberships", "write_csv", "formatted"]
