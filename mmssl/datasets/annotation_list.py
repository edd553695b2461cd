"""Reading and splitting '<path> <label>' annotation lists, strictly.

The format is MMAction2's video list (one ``<path><delimiter><label>`` per
line), read with these documented rules (docs/reliability.md,
"Annotation lists"):

- The file must be UTF-8. A line with other bytes (e.g. Latin-1 names)
  raises :class:`AnnotationError` naming ``file:line`` and the byte.
- A UTF-8 byte-order mark at the start of the file is ignored; one inside
  the file (lists concatenated with ``cat``) is an error.
- ``\\r\\n`` line ends are accepted; blank lines are ignored.
- Fields are separated by exactly one ``delimiter`` (default ``' '``). A
  tab in a space-delimited list, or two delimiters in a row, is an error
  that says how to fix it (``delimiter='\\t'``).
- A path that contains the delimiter (a space) is written in double
  quotes: ``"my video.mp4" 3``.
"""
import codecs
from typing import List, Optional, Tuple

from mmengine.fileio import get

from .errors import AnnotationError


def read_annotation_lines(ann_file: str,
                          backend_args: Optional[dict] = None
                          ) -> List[Tuple[int, str]]:
    """Non-blank lines of a UTF-8 list with their 1-based line numbers.

    Args:
        ann_file (str): The list.
        backend_args (dict, optional): MMEngine file backend arguments.

    Returns:
        list[tuple[int, str]]: ``(line_number, text)``, line ends removed.

    Raises:
        AnnotationError: A line is not UTF-8 or holds a byte-order mark.
    """
    data = get(ann_file, backend_args=backend_args)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    lines = []
    for lineno, raw in enumerate(data.split(b'\n'), 1):
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError as err:
            raise AnnotationError(
                f'{ann_file}:{lineno}: not UTF-8 text (byte '
                f'0x{raw[err.start]:02x} at column {err.start + 1}); save '
                'the list as UTF-8') from None
        if '\ufeff' in text:
            raise AnnotationError(
                f'{ann_file}:{lineno}: a UTF-8 byte-order mark inside the '
                'list (were lists concatenated?); remove it')
        text = text.rstrip('\r')
        if text.strip():
            lines.append((lineno, text))
    return lines


def split_fields(text: str, delimiter: str, where: str) -> List[str]:
    """Split one line into ``[path, field, ...]``.

    Args:
        text (str): The line.
        delimiter (str): Field separator.
        where (str): ``'file:line'`` for error messages.

    Returns:
        list[str]: The path (unquoted) and the remaining fields.

    Raises:
        AnnotationError: Unmatched quote, a tab in a list delimited by
            something else, or an empty field.
    """
    line = text.strip()
    path = None
    if line.startswith('"'):
        end = line.find('"', 1)
        if end < 0:
            raise AnnotationError(
                f'{where}: unmatched double quote in {line!r}; a quoted path '
                'is written "<path>"')
        path, line = line[1:end], line[end + 1:]
        if line and not line.startswith(delimiter):
            raise AnnotationError(
                f'{where}: expected {delimiter!r} after the quoted path, got '
                f'{text.strip()!r}')
        line = line[len(delimiter):]
    if '\t' in line and delimiter != '\t':
        raise AnnotationError(
            f'{where}: tab in {text.strip()!r}, but the delimiter is '
            f'{delimiter!r}; for a tab-separated list set delimiter=\'\\t\'')
    fields = line.split(delimiter) if line else []
    if path is not None:
        fields = [path] + fields
    if any(not field for field in fields):
        raise AnnotationError(
            f'{where}: empty field in {text.strip()!r} (two delimiters '
            f'{delimiter!r} in a row?); a path containing the delimiter is '
            'written in double quotes: "my video.mp4" 3')
    return fields
