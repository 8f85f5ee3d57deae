"""Terjman Desktop: offline English ⇄ Moroccan Darija translation."""

__version__ = "0.1.0"
