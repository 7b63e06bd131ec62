"""Reporting: tables and JSON written byte for byte the same (``tables``), figures
(``figures``), the configuration chart (``configurations``), the tables of one sufficiency
analysis (``sufficiency``), the findings (``findings``) and what the notebooks display
(``notebook``)."""
