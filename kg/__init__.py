"""atrocity-kg: a linked-data knowledge-graph publisher for human-rights documents."""

__version__ = "0.1.0"
