"""The small JSON Schema checker behind operation arguments."""

from __future__ import annotations

from reelwright.draft.ops.schema import errors

SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 5},
        "n": {"type": "integer", "minimum": 1, "maximum": 3},
        "x": {"type": "number"},
        "on": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]},
                 "maxItems": 2},
        "where": {"anyOf": [{"type": "string", "enum": ["all"]},
                            {"type": "object", "properties": {"i": {"type": "integer"}},
                             "additionalProperties": False}],
                  "description": '"all" or {"i": n}'},
        "bg": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    },
}


def test_valid_values_pass() -> None:
    assert errors(SCHEMA, {"name": "ab", "n": 2, "x": 1.5, "on": False, "tags": ["a"],
                           "where": {"i": 4}, "bg": None}) == []
    assert errors(SCHEMA, {"name": "ab", "n": 3.0, "where": "all", "bg": "#fff"}) == []


def test_each_rule_is_reported_in_plain_words() -> None:
    assert errors(SCHEMA, {}) == ["the arguments needs 'name'"]
    assert errors(SCHEMA, []) == ["the arguments must be an object (got [])"]
    assert errors(SCHEMA, {"name": ""}) == ["name must not be empty"]
    assert errors(SCHEMA, {"name": "abcdefg"}) == ["name must be at most 5 characters"]
    assert errors(SCHEMA, {"name": "a", "n": 9}) == ["n must be at most 3 (got 9)"]
    assert errors(SCHEMA, {"name": "a", "n": True}) == ["n must be a whole number (got True)"]
    assert errors(SCHEMA, {"name": "a", "on": "yes"}) == ["on must be true or false (got 'yes')"]
    assert errors(SCHEMA, {"name": "a", "tags": ["c"]}) == [
        "tags[0] must be one of a, b (got 'c')"]
    assert errors(SCHEMA, {"name": "a", "zz": 1}) == [
        "the arguments has an unknown field 'zz' (known: name, n, x, on, tags, where, bg)"]
    assert errors(SCHEMA, {"name": "a", "where": "some"}) == ['where must be "all" or {"i": n}']
    assert errors(SCHEMA, {"name": "a", "where": {"i": "x"}}) == [
        "where.i must be a whole number (got 'x')"]
    assert errors(SCHEMA, {"name": "a", "bg": 3}) != []
