"""Every lint rule module; importing this package registers them all."""

from planforge.lint.rules import accessibility, content, layout, placeholders, titles  # noqa: F401
