"""The command line shared by ``tools/data/<dataset>/build_lists.py``."""
import argparse
import sys
from typing import Callable, List, Optional, Sequence

from ..errors import AnnotationError
from .common import OfficialFileMissing, VideoList, check_lists, write_lists
from .subsets import SubsetError

Derive = Callable[[argparse.Namespace, Sequence[VideoList]], List[VideoList]]


def base_parser(dataset: str,
                description: str,
                video_dir_option: bool = True) -> argparse.ArgumentParser:
    """Options every builder has: ``--root``, ``--ann-dir``, ``--out-dir``,
    ``--check-videos`` (and ``--video-dir`` if ``video_dir_option``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        '--root',
        default=f'data/{dataset}',
        help=f'dataset root (default data/{dataset}); the lists are written '
        'here unless --out-dir is given')
    parser.add_argument(
        '--ann-dir',
        help='directory of the official split/annotation files (default: '
        'the official folder name under --root, or --root/annotations as '
        "MMAction2's download scripts put them)")
    if video_dir_option:
        parser.add_argument(
            '--video-dir',
            help='folder the list paths are relative to (default '
            '<root>/videos); only --check-videos reads it')
    parser.add_argument(
        '--out-dir', help='where to write the lists (default: --root)')
    parser.add_argument(
        '--check-videos',
        action='store_true',
        help='leave out (and count) videos whose file is missing; the '
        'missing paths go to <list>_missing.txt')
    return parser


def run_builder(parser: argparse.ArgumentParser,
                build: Callable[[argparse.Namespace], List[VideoList]],
                argv: Optional[List[str]] = None,
                derive: Optional[Derive] = None) -> int:
    """Parse ``argv``, build the lists, optionally check the videos, write.

    Bad official input ends with one ``error: file:line: why`` line on
    stderr and exit status 1, not a traceback.

    Args:
        parser: From :func:`base_parser` (plus dataset options).
        build: ``args -> lists`` (may raise AnnotationError /
            OfficialFileMissing).
        argv: Command-line arguments (default ``sys.argv[1:]``).
        derive: ``(args, checked lists) -> more lists`` (Kinetics subsets,
            drawn from the videos that exist when ``--check-videos``).

    Returns:
        int: Exit status.
    """
    args = parser.parse_args(argv)
    try:
        lists = build(args)
        missing = None
        if args.check_videos:
            lists, missing = check_lists(lists)
        if derive is not None:
            lists = list(lists) + derive(args, lists)
        write_lists(lists, args.out_dir or args.root, missing)
    except (AnnotationError, OfficialFileMissing, SubsetError) as err:
        print(f'error: {err}', file=sys.stderr)
        return 1
    return 0


def simple_builder_main(dataset: str, description: str,
                        argv: Optional[List[str]] = None) -> int:
    """``main`` of a builder without extra options (every dataset but
    Kinetics): ``build_<dataset>_lists(root, ann_dir, video_dir)``."""
    from . import (build_diving48_lists, build_hmdb51_lists,
                   build_sthv2_lists, build_ucf101_lists)
    build = dict(
        ucf101=build_ucf101_lists,
        hmdb51=build_hmdb51_lists,
        diving48=build_diving48_lists,
        sthv2=build_sthv2_lists)[dataset]
    parser = base_parser(dataset, description)
    return run_builder(
        parser, lambda args: build(args.root, args.ann_dir, args.video_dir),
        argv)
