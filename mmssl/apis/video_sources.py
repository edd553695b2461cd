"""The videos of a folder or of an annotation list, for embedding tools."""
import os
import os.path as osp
from typing import List, Optional, Sequence, Tuple

from mmssl.datasets.annotation_list import read_annotation_lines, split_fields

__all__ = ['VIDEO_EXTENSIONS', 'list_videos']

VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mkv', '.mov', '.webm', '.mpg', '.mpeg',
                    '.m4v', '.wmv', '.flv')


def _folder_videos(folder: str,
                   extensions: Sequence[str]) -> List[Tuple[str, str]]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(tuple(extensions)):
                path = osp.join(root, name)
                found.append((path, osp.relpath(path, folder)))
    return found


def _list_videos(ann_file: str, data_prefix: Optional[str],
                 delimiter: str) -> List[Tuple[str, str]]:
    prefix = osp.dirname(ann_file) if data_prefix is None else data_prefix
    found = []
    for lineno, line in read_annotation_lines(ann_file):
        fields = split_fields(line, delimiter, f'{ann_file}:{lineno}')
        rel = fields[0]
        found.append((osp.join(prefix, rel), rel))
    return found


def list_videos(source: str,
                data_prefix: Optional[str] = None,
                extensions: Sequence[str] = VIDEO_EXTENSIONS,
                delimiter: str = ' ') -> List[Tuple[str, str]]:
    """Videos to embed, each with the relative name its outputs take.

    Args:
        source (str): A folder (searched recursively for ``extensions``,
            in sorted order) or an annotation list (MMAction2's
            ``<path> <label>`` lines; the label is optional and ignored).
        data_prefix (str, optional): Root of a list's relative paths
            (default: the list's folder).
        extensions (Sequence[str]): Lower-case video file endings.
        delimiter (str): Field delimiter of a list.

    Returns:
        list[tuple[str, str]]: ``(path, relative name)``; the relative name
        keeps the extension, so ``a.mp4`` and ``a.avi`` stay apart.

    Raises:
        FileNotFoundError: ``source`` does not exist.
        ValueError: No video found.
    """
    if osp.isdir(source):
        videos = _folder_videos(source, [e.lower() for e in extensions])
    elif osp.isfile(source):
        videos = _list_videos(source, data_prefix, delimiter)
    else:
        raise FileNotFoundError(f'no such folder or list: {source}')
    if not videos:
        raise ValueError(f'{source}: no videos (extensions '
                         f'{", ".join(extensions)})')
    return videos
