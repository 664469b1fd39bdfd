"""Content loading shared by every domain: YAML with line numbers, schema validation, clear errors.

Content (rules, indicators, lessons, scenarios) is data. This package turns a file into validated
objects or a `ContentError` that names the file, the line and what is wrong. It imports no Django.
"""

from ketenwijs.content.errors import ContentError, suggest
from ketenwijs.content.yaml_source import LocatedData, load_yaml_file, load_yaml_text, validate

__all__ = [
    "ContentError",
    "LocatedData",
    "load_yaml_file",
    "load_yaml_text",
    "suggest",
    "validate",
]
