"""Class-balanced nested subsets of a video list (K400-10k/30k/50k/100k).

The benchmark study (Kumar et al., "A Large-Scale Analysis on Contextual
Self-Supervised Video Representation Learning", Sec. 4.1) pre-trains on
Kinetics-400 subsets of 10k, 30k, 50k and 100k videos with the same number
of videos per class, each containing the smaller ones. The study does not
publish its lists; these are drawn as follows, so that they are nested by
construction and reproducible from the seed:

- each class's videos are sorted by path (the input order does not matter)
  and shuffled by a generator seeded with ``(seed, label)``
  (independent of the other classes);
- a subset of ``size`` videos takes the first ``size / num_classes`` videos
  of every class's shuffled order, so a smaller subset is a prefix of a
  larger one;
- the chosen videos keep their order in the input list.
"""
import random
import re
from collections import defaultdict
from typing import Dict, List, Sequence

from .common import Entry


class SubsetError(ValueError):
    """A subset that cannot be drawn (size, or too few videos per class)."""


def parse_subset_size(text: str) -> int:
    """``'10k'`` -> 10000, ``'2500'`` -> 2500.

    Raises:
        SubsetError: Not ``<digits>`` or ``<digits>k``, or zero.
    """
    match = re.fullmatch(r'(\d+)(k?)', text.strip().lower())
    if not match or int(match[1]) == 0:
        raise SubsetError(
            f'subset size {text!r} must be a positive number of videos, '
            'e.g. 2500 or 10k')
    return int(match[1]) * (1000 if match[2] else 1)


def class_balanced_nested_subsets(entries: Sequence[Entry],
                                  sizes: Dict[str, int],
                                  num_classes: int,
                                  seed: int = 0,
                                  allow_short: bool = False
                                  ) -> Dict[str, List[Entry]]:
    """Nested subsets with ``size / num_classes`` videos of every class.

    Args:
        entries (Sequence[Entry]): The full list, ``(path, label)``.
        sizes (dict[str, int]): ``{subset name: number of videos}``; each a
            multiple of ``num_classes``.
        num_classes (int): Classes ``0 .. num_classes - 1``.
        seed (int): Selection seed.
        allow_short (bool): A class with fewer videos than a subset's quota
            contributes all it has instead of raising.

    Returns:
        dict[str, list[Entry]]: ``{name: entries}``, in input order.

    Raises:
        SubsetError: A size is not a multiple of ``num_classes``, or (without
            ``allow_short``) a class has too few videos; the message names
            the classes and their counts.
    """
    by_class = defaultdict(list)
    for index, (path, label) in enumerate(entries):
        by_class[label].append((path, index))
    for size in sizes.values():
        if size % num_classes:
            raise SubsetError(
                f'subset size {size} is not a multiple of the {num_classes} '
                'classes (class-balanced subsets take size / classes videos '
                'per class)')
    largest = max(sizes.values()) // num_classes
    short = {label: len(by_class[label]) for label in range(num_classes)
             if len(by_class[label]) < largest}
    if short and not allow_short:
        shown = ', '.join(f'label {label}: {count}'
                          for label, count in sorted(short.items())[:10])
        raise SubsetError(
            f'{len(short)} of {num_classes} classes have fewer than '
            f'{largest} videos, the per-class quota of the largest subset '
            f'({shown}); build smaller subsets or pass '
            '--allow-short-classes')
    order = {}
    for label in range(num_classes):
        videos = sorted(by_class[label])
        # Seeded by a string: stable across Python runs and versions.
        random.Random(f'{seed}/{label}').shuffle(videos)
        order[label] = [index for _, index in videos]
    subsets = {}
    for name, size in sizes.items():
        quota = size // num_classes
        chosen = sorted(i for label in range(num_classes)
                        for i in order[label][:quota])
        subsets[name] = [entries[i] for i in chosen]
    return subsets
