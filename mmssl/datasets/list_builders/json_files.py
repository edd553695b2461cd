"""Reading official JSON annotation files with errors that name the file,
the line (for a JSON syntax error) or the entry (for a bad value)."""
import json
from typing import Any

from ..errors import AnnotationError


def load_json(path: str, expect: type) -> Any:
    """Parse ``path`` and check that its top level is an ``expect``.

    Raises:
        AnnotationError: Not UTF-8, not JSON (names line and column), or
            the wrong top-level type.
    """
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except UnicodeDecodeError as err:
        raise AnnotationError(f'{path}: not UTF-8 text ({err.reason} at '
                              f'byte {err.start})') from None
    except json.JSONDecodeError as err:
        raise AnnotationError(
            f'{path}:{err.lineno}: not valid JSON ({err.msg}, column '
            f'{err.colno})') from None
    if not isinstance(data, expect):
        raise AnnotationError(
            f'{path}: expected a JSON {expect.__name__} at the top level, got '
            f'a {type(data).__name__}')
    return data


def entry_field(entry: Any, key: str, kind: type, where: str) -> Any:
    """``entry[key]`` checked to be a ``kind``; ``where`` names the entry."""
    if not isinstance(entry, dict):
        raise AnnotationError(
            f'{where}: expected an object, got {json.dumps(entry)[:80]}')
    if key not in entry:
        raise AnnotationError(
            f'{where}: no {key!r} key in {json.dumps(entry)[:120]}')
    value = entry[key]
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        raise AnnotationError(
            f'{where}: {key!r} must be of type {kind.__name__}, got {value!r}')
    return value
