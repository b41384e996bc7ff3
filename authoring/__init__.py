"""Authoring teaching cases: building library cases from dataset reads, and their teaching
points."""
