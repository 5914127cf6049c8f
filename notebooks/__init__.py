"""The report notebook, shipped with the kit as package data (helpers.notebooks)."""
