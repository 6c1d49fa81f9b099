"""planforge: plans in YAML, rendered to Markdown, HTML and editable PowerPoint decks."""

__version__ = "0.1.0"
