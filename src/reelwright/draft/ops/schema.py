"""A small JSON Schema checker for the subset operation arguments use.

Supported: ``type`` (object, string, integer, number, boolean, array, null), ``properties``,
``required``, ``additionalProperties: false``, ``enum``, ``minimum``, ``maximum``,
``minLength``, ``maxLength``, ``items``, ``minItems``, ``maxItems``, ``anyOf``. Messages are
written for a person in a chat: ``volume must be at most 2 (got 5)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Schema = Mapping[str, Any]

_TYPE_WORDS = {"object": "an object", "string": "text", "integer": "a whole number",
               "number": "a number", "boolean": "true or false", "array": "a list",
               "null": "null"}


def _is_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "string":
        return isinstance(value, str)
    if name == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "array":
        return isinstance(value, list)
    if name == "null":
        return value is None
    return True


def _label(path: str) -> str:
    return path or "the arguments"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def errors(schema: Schema, value: Any, path: str = "") -> list[str]:
    """Every way ``value`` breaks ``schema``, each naming the argument (``target.index``)."""
    if "anyOf" in schema:
        options = schema["anyOf"]
        found = [errors(option, value, path) for option in options]
        if any(not problems for problems in found):
            return []
        # An object that matched the object form is best told what is wrong inside it.
        typed = [p for option, p in zip(options, found, strict=True)
                 if option.get("type") == "object" and _is_type(value, "object")]
        if len(typed) == 1:
            return typed[0]
        return [f"{_label(path)} must be {schema.get('description', 'one of the allowed forms')}"]
    kind = schema.get("type")
    if isinstance(kind, str) and not _is_type(value, kind):
        return [f"{_label(path)} must be {_TYPE_WORDS.get(kind, kind)} (got {_show(value)})"]
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(str(v) for v in schema["enum"])
        return [f"{_label(path)} must be one of {allowed} (got {_show(value)})"]
    out: list[str] = []
    if kind in ("integer", "number"):
        if "minimum" in schema and value < schema["minimum"]:
            out.append(f"{_label(path)} must be at least {schema['minimum']:g} (got {value:g})")
        if "maximum" in schema and value > schema["maximum"]:
            out.append(f"{_label(path)} must be at most {schema['maximum']:g} (got {value:g})")
    elif kind == "string":
        if len(value) < schema.get("minLength", 0):
            out.append(f"{_label(path)} must not be empty" if schema["minLength"] == 1
                       else f"{_label(path)} needs at least {schema['minLength']} characters")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            out.append(f"{_label(path)} must be at most {schema['maxLength']} characters")
    elif kind == "array":
        if len(value) < schema.get("minItems", 0):
            out.append(f"{_label(path)} needs at least {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append(f"{_label(path)} takes at most {schema['maxItems']} items")
        item_schema = schema.get("items")
        if item_schema is not None:
            for i, item in enumerate(value):
                out.extend(errors(item_schema, item, f"{path}[{i}]"))
    elif kind == "object":
        props: Mapping[str, Schema] = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                out.append(f"{_label(path)} needs {key!r}")
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if key in props:
                out.extend(errors(props[key], item, sub))
            elif schema.get("additionalProperties") is False:
                known = ", ".join(props) or "nothing"
                out.append(f"{_label(path)} has an unknown field {key!r} (known: {known})")
    return out
