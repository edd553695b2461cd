"""Class-balanced nested subsets of any '<path> <label>' video list.

The dataset-size analysis of the benchmark study (Kumar et al., "A
Large-Scale Analysis on Contextual Self-Supervised Video Representation
Learning", Sec. 4.1) pretrains on K400 subsets of 10k, 30k, 50k and 100k
videos "ensuring that the number of videos per class remains consistent
across subsets", each smaller subset a strict subset of the larger one.
The drawing rule (seeded per class, a smaller subset is a prefix of every
class's shuffled order, so nesting holds by construction) lives in
:func:`mmssl.datasets.list_builders.subsets.class_balanced_nested_subsets`,
which the Kinetics list builder also uses; this module applies it to a
list file (``tools/data/make_subsets.py``), names the classes that are too
small, and checks and summarises the result.
"""
from collections import Counter
from typing import Dict, List, Optional, Sequence

from .annotation_list import read_annotation_lines, split_fields
from .errors import AnnotationError
from .list_builders.common import Entry
from .list_builders.subsets import (SubsetError,
                                    class_balanced_nested_subsets)

__all__ = [
    'read_video_list', 'read_class_names', 'draw_nested_subsets',
    'summarise_subsets', 'SubsetError'
]


def read_video_list(ann_file: str, delimiter: str = ' ') -> List[Entry]:
    """``(path, label)`` of every line of a single-label video list.

    Raises:
        AnnotationError: Malformed line (``file:line`` named).
    """
    entries = []
    for lineno, text in read_annotation_lines(ann_file):
        where = f'{ann_file}:{lineno}'
        fields = split_fields(text, delimiter, where)
        if len(fields) != 2:
            raise AnnotationError(f'{where}: expected "<path> <label>", got '
                                  f'{text.strip()!r}')
        try:
            label = int(fields[1])
        except ValueError:
            raise AnnotationError(f'{where}: label must be an integer, got '
                                  f'{fields[1]!r}') from None
        if label < 0:
            raise AnnotationError(f'{where}: negative label {label}')
        entries.append((fields[0], label))
    if not entries:
        raise AnnotationError(f'{ann_file}: the list is empty')
    return entries


def read_class_names(path: str) -> List[str]:
    """One class name per non-blank line (label = line order)."""
    return [text.strip() for _, text in read_annotation_lines(path)]


def _class_name(label: int, class_names: Optional[Sequence[str]]) -> str:
    if class_names is not None and label < len(class_names):
        return f'{class_names[label]!r} (label {label})'
    return f'label {label}'


def draw_nested_subsets(entries: Sequence[Entry],
                        sizes: Dict[str, int],
                        num_classes: Optional[int] = None,
                        seed: int = 0,
                        class_names: Optional[Sequence[str]] = None,
                        allow_short: bool = False,
                        source: str = 'the list') -> Dict[str, List[Entry]]:
    """Class-balanced nested subsets, smallest first.

    Args:
        entries (Sequence[Entry]): The full list, ``(path, label)``.
        sizes (dict[str, int]): ``{name: number of videos}``, each a
            multiple of ``num_classes``.
        num_classes (int, optional): Default: ``len(class_names)`` or the
            largest label + 1.
        seed (int): Selection seed (same seed, same list -> same subsets).
        class_names (Sequence[str], optional): Names for messages.
        allow_short (bool): A class with too few videos gives all it has.
        source (str): What the entries came from, for messages.

    Returns:
        dict[str, list[Entry]]: ``{name: entries}`` in input order, names
        ordered by size.

    Raises:
        SubsetError: Bad size, or (without ``allow_short``) classes with
            fewer videos than the per-class quota: names the subset, the
            quota and each short class with its count.
    """
    if not sizes:
        raise SubsetError('no subset sizes given')
    labels = Counter(label for _, label in entries)
    if num_classes is None:
        num_classes = len(class_names) if class_names else max(labels) + 1
    outside = sorted(label for label in labels if label >= num_classes)
    if outside:
        raise SubsetError(f'{source}: labels {outside[:5]} are >= '
                          f'num_classes {num_classes}')
    ordered = dict(sorted(sizes.items(), key=lambda item: item[1]))
    if not allow_short:
        for name, size in ordered.items():
            if size % num_classes:
                break  # the shared function names this error
            quota = size // num_classes
            short = [(label, labels.get(label, 0))
                     for label in range(num_classes)
                     if labels.get(label, 0) < quota]
            if short:
                shown = ', '.join(f'{_class_name(label, class_names)}: '
                                  f'{count}' for label, count in short[:10])
                more = f' and {len(short) - 10} more' if len(short) > 10 \
                    else ''
                raise SubsetError(
                    f'{source}: subset {name!r} ({size} videos) needs '
                    f'{quota} videos per class ({size} / {num_classes} '
                    f'classes), but {len(short)} classes have fewer: '
                    f'{shown}{more}. Draw smaller subsets or pass '
                    '--allow-short-classes')
    subsets = class_balanced_nested_subsets(entries, ordered, num_classes,
                                            seed, allow_short)
    names = list(subsets)
    for small, large in zip(names, names[1:]):
        if not set(subsets[small]) <= set(subsets[large]):
            raise AssertionError(f'subset {small!r} is not inside {large!r}')
    return subsets


def summarise_subsets(subsets: Dict[str, List[Entry]],
                      num_classes: int) -> Dict[str, dict]:
    """Per subset: videos, classes, min / max videos per class, and
    whether it lies inside the next larger one."""
    names = list(subsets)
    summary = {}
    for index, name in enumerate(names):
        counts = Counter(label for _, label in subsets[name])
        per_class = [counts.get(label, 0) for label in range(num_classes)]
        larger = names[index + 1] if index + 1 < len(names) else None
        summary[name] = dict(
            num_videos=len(subsets[name]),
            num_classes_present=sum(1 for c in per_class if c),
            min_per_class=min(per_class),
            max_per_class=max(per_class),
            inside=larger,
            nested=None if larger is None else
            set(subsets[name]) <= set(subsets[larger]))
    return summary
