"""Khyber loader: news articles in, a validated and reasoned RDF knowledge graph out."""

__version__ = "1.0.0"
