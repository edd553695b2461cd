"""Shared parts of the official-split -> annotation-list builders.

Every builder turns a dataset's *official* split / annotation files into
MMAction2 video lists: one ``<relative video path> <label>`` line per video,
labels 0-based (MMAction2's ``tools/data/build_file_list.py`` format; a path
that holds a space is written in double quotes, as
:mod:`mmssl.datasets.annotation_list` reads it). Bad official input raises
:class:`~mmssl.datasets.errors.AnnotationError` naming ``file:line`` (or the
JSON entry) and what is wrong; a missing official file raises
:class:`OfficialFileMissing` naming every place that was looked at.
"""
import os
import os.path as osp
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from ..annotation_list import read_annotation_lines
from ..errors import AnnotationError

Entry = Tuple[str, int]  # (video path relative to the video dir, label)


class OfficialFileMissing(FileNotFoundError):
    """An official split/annotation file is not where it should be."""


class VideoList(NamedTuple):
    """One list file to write.

    Attributes:
        name (str): File name, e.g. ``'ucf101_train_split_1_videos.txt'``.
        entries (list[Entry]): ``(path, label)`` in output order.
        video_dir (str): Directory the paths are relative to (for
            ``--check-videos``).
    """
    name: str
    entries: List[Entry]
    video_dir: str


def find_official_file(candidates: Sequence[str], what: str) -> str:
    """The first existing path of ``candidates``.

    Args:
        candidates (Sequence[str]): Places the official layout (or
            MMAction2's ``annotations/`` layout) puts the file.
        what (str): What the file is and where it comes from, for the error.

    Raises:
        OfficialFileMissing: None exists; the message lists every candidate.
    """
    for path in candidates:
        if osp.exists(path):
            return path
    tried = ', '.join(candidates)
    raise OfficialFileMissing(f'{what} not found (looked for: {tried})')


def official_file(names: Sequence[str], dirs: Sequence[str],
                  what: str) -> str:
    """The first existing ``<dir>/<name>`` (dirs outer, names inner); see
    :func:`find_official_file`."""
    return find_official_file(
        [osp.join(d, name) for d in dirs for name in names], what)


def read_official_lines(path: str) -> List[Tuple[int, str]]:
    """Non-blank lines of a text split file with 1-based line numbers
    (UTF-8, ``\\r\\n`` accepted: the official UCF101 lists use it)."""
    return read_annotation_lines(path)


def parse_int(text: str, where: str, what: str) -> int:
    """``int(text)``, or an :class:`AnnotationError` naming ``where``."""
    try:
        return int(text)
    except ValueError:
        raise AnnotationError(
            f'{where}: {what} must be an integer, got {text!r}') from None


def format_list_line(path: str, label: int) -> str:
    """``'<path> <label>'``; a path with a space is double-quoted."""
    if '"' in path:
        raise AnnotationError(f'video path {path!r} holds a double quote, '
                              'which a video list cannot represent')
    if ' ' in path:
        path = f'"{path}"'
    return f'{path} {label}'


def write_list(path: str, entries: Iterable[Entry]) -> int:
    """Write ``entries`` as a video list; returns the number of lines."""
    lines = [format_list_line(p, label) + '\n' for p, label in entries]
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.writelines(lines)
    return len(lines)


def split_existing(entries: Sequence[Entry], video_dir: str,
                   desc: str = '') -> Tuple[List[Entry], List[str]]:
    """Entries whose video file exists under ``video_dir``, and the missing
    paths, with a progress bar (Kinetics lists hold 240k videos).

    Returns:
        tuple[list[Entry], list[str]]: Kept entries (order kept) and the
        missing relative paths.
    """
    from tqdm import tqdm
    kept, missing = [], []
    for path, label in tqdm(
            entries, desc=f'checking {desc}', unit='video', leave=False):
        if osp.isfile(osp.join(video_dir, path)):
            kept.append((path, label))
        else:
            missing.append(path)
    return kept, missing


def check_lists(lists: Sequence[VideoList]) -> Tuple[List[VideoList],
                                                      Dict[str, List[str]]]:
    """Drop entries whose video is missing, per list.

    Returns:
        tuple: The filtered lists, and ``{list name: missing paths}``.
    """
    checked, missing = [], {}
    for video_list in lists:
        kept, lost = split_existing(video_list.entries, video_list.video_dir,
                                    video_list.name)
        checked.append(video_list._replace(entries=kept))
        missing[video_list.name] = lost
    return checked, missing


def write_lists(lists: Sequence[VideoList],
                out_dir: str,
                missing: Optional[Dict[str, List[str]]] = None,
                log=print) -> Dict[str, dict]:
    """Write every list into ``out_dir`` and log one summary line each.

    Missing videos (from :func:`check_lists`) are written, one per line, to
    ``<list name without .txt>_missing.txt`` beside the list.

    Returns:
        dict: ``{list name: dict(path=..., videos=..., missing=...)}``.
    """
    summary = {}
    for video_list in lists:
        path = osp.join(out_dir, video_list.name)
        count = write_list(path, video_list.entries)
        lost = (missing or {}).get(video_list.name, [])
        line = f'{path}: {count} videos'
        if lost:
            lost_path = path[:-len('.txt')] + '_missing.txt'
            with open(lost_path, 'w', encoding='utf-8') as f:
                f.writelines(p + '\n' for p in lost)
            line += (f', skipped {len(lost)} missing video files (under '
                     f'{video_list.video_dir}; listed in {lost_path})')
        log(line)
        summary[video_list.name] = dict(
            path=path, videos=count, missing=len(lost))
    return summary
