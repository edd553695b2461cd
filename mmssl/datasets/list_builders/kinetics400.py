"""Kinetics-400 (Kay et al. 2017) lists and class-balanced nested subsets.

Official files (``kinetics400.tar.gz`` from DeepMind, folder
``kinetics400/``; MMAction2 renames them ``kinetics_{train,val}.csv``):
``train.csv`` / ``validate.csv`` with the header
``label,youtube_id,time_start,time_end,split`` (later releases add
``is_cc``).

Videos in MMAction2's layout: ``videos_{train,val}/<class>/<file>.mp4`` with
``<class>`` the label with spaces replaced by ``_`` (MMAction2's
``rename_classnames.sh``) and ``<file>`` =
``<youtube_id>_<time_start:06d>_<time_end:06d>`` (its ``download.py``).

Lists: ``kinetics400_{train,val}_list_videos.txt`` with
``'<class>/<file>.mp4 <label>'``, label = index of the class in the sorted
class names of ``train.csv`` (MMAction2's ``parse_kinetics_splits``), and
``kinetics400_train_<size>_list_videos.txt`` subsets (:mod:`.subsets`).
"""
import csv
import os.path as osp
from typing import Dict, List, Tuple

from ..errors import AnnotationError
from .common import VideoList, official_file, read_official_lines
from .subsets import class_balanced_nested_subsets, parse_subset_size

SOURCE = ('of the official Kinetics-400 annotations (kinetics400.tar.gz, '
          'https://github.com/google-deepmind/kinetics-i3d or '
          'https://github.com/cvdfoundation/kinetics-dataset)')
COLUMNS = ('label', 'youtube_id', 'time_start', 'time_end')
DEFAULT_SUBSETS = ('10k', '30k', '50k', '100k')


def class_dir(label: str) -> str:
    """Folder name of a class: quotes dropped, spaces -> ``_``."""
    return label.replace('"', '').replace(' ', '_')


def read_kinetics_csv(path: str) -> List[Tuple[str, str, int]]:
    """``(class folder, file name, line number)`` of every CSV row.

    Raises:
        AnnotationError: A missing column in the header, a row with the
            wrong number of fields, an empty label or id, or times that are
            not numbers with ``time_start <= time_end``.
    """
    lines = read_official_lines(path)
    if not lines:
        raise AnnotationError(f'{path}: empty file')
    header = next(csv.reader([lines[0][1]]))
    absent = [c for c in COLUMNS if c not in header]
    if absent:
        raise AnnotationError(
            f'{path}:{lines[0][0]}: header {header} lacks {absent} (expected '
            f'{",".join(COLUMNS)},split)')
    col = {name: header.index(name) for name in COLUMNS}
    rows = []
    for lineno, text in lines[1:]:
        where = f'{path}:{lineno}'
        fields = next(csv.reader([text]))
        if len(fields) != len(header):
            raise AnnotationError(
                f'{where}: {len(fields)} fields, the header has '
                f'{len(header)}: {text!r}')
        label, video = fields[col['label']], fields[col['youtube_id']]
        if not label.strip() or not video.strip():
            raise AnnotationError(f'{where}: empty label or youtube_id')
        try:
            start = int(float(fields[col['time_start']]))
            end = int(float(fields[col['time_end']]))
        except ValueError:
            raise AnnotationError(
                f'{where}: time_start/time_end must be numbers, got '
                f'{fields[col["time_start"]]!r}, {fields[col["time_end"]]!r}'
            ) from None
        if not 0 <= start <= end:
            raise AnnotationError(
                f'{where}: time range {start}..{end} is not '
                '0 <= time_start <= time_end')
        rows.append(
            (class_dir(label), f'{video}_{start:06d}_{end:06d}.mp4', lineno))
    return rows


def build_kinetics400_lists(root: str,
                            ann_dir: str = None,
                            flat: bool = False
                            ) -> Tuple[List[VideoList], Dict[str, int]]:
    """The Kinetics-400 train and val lists.

    Args:
        root (str): Dataset root (``data/kinetics400``), holding
            ``videos_train/`` and ``videos_val/``.
        ann_dir (str, optional): Folder of the CSV files (default
            ``<root>/annotations``, ``<root>/kinetics400`` or ``<root>``).
        flat (bool): Videos lie directly in ``videos_{train,val}/`` (the
            CVDF archives' layout) instead of in class folders.

    Returns:
        tuple: ``[train list, val list]`` and ``{class folder: label}``.

    Raises:
        AnnotationError: Malformed CSV, or a val class not in train.csv.
    """
    dirs = [ann_dir] if ann_dir else [
        osp.join(root, 'annotations'),
        osp.join(root, 'kinetics400'), root
    ]
    train_csv = official_file(['train.csv', 'kinetics_train.csv'], dirs,
                              f'train.csv {SOURCE}')
    val_csv = official_file(['validate.csv', 'kinetics_val.csv'], dirs,
                            f'validate.csv {SOURCE}')
    train_rows = read_kinetics_csv(train_csv)
    classes = {
        name: label
        for label, name in enumerate(sorted({row[0] for row in train_rows}))
    }
    lists = []
    for subset, path, rows in (('train', train_csv, train_rows),
                               ('val', val_csv, read_kinetics_csv(val_csv))):
        entries = []
        for name, video, lineno in rows:
            if name not in classes:
                raise AnnotationError(
                    f'{path}:{lineno}: unknown class {name!r} (not a label '
                    f'of {train_csv})')
            rel = video if flat else f'{name}/{video}'
            entries.append((rel, classes[name]))
        lists.append(
            VideoList(f'kinetics400_{subset}_list_videos.txt', entries,
                      osp.join(root, f'videos_{subset}')))
    return lists, classes


def subset_lists(train: VideoList,
                 num_classes: int,
                 subsets=DEFAULT_SUBSETS,
                 seed: int = 0,
                 allow_short: bool = False) -> List[VideoList]:
    """``kinetics400_train_<size>_list_videos.txt`` for each size.

    Args:
        train (VideoList): The (checked) train list.
        num_classes (int): Classes of train.csv (400).
        subsets (Sequence[str]): Sizes such as ``'10k'`` (the file names
            keep this spelling).
        seed (int): Selection seed (:mod:`.subsets`).
        allow_short (bool): See :func:`class_balanced_nested_subsets`.
    """
    sizes = {name: parse_subset_size(name) for name in subsets}
    chosen = class_balanced_nested_subsets(train.entries, sizes, num_classes,
                                           seed, allow_short)
    return [
        VideoList(f'kinetics400_train_{name}_list_videos.txt', entries,
                  train.video_dir) for name, entries in chosen.items()
    ]
