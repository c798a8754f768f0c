"""A programme as one document: read it (YAML or JSON), check it, load it, export it.

The format is described in ``docs/programme-format.md``.
"""

FORMAT = "suivi-programme/1"
