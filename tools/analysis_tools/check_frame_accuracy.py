"""Check that every decode backend / access pattern returns the right frames.

For each video, frame i of every (backend, access pattern) pair is compared
with frame i of a sequential decode (PyAV when installed, else decord), on
index sets shaped like the pipeline's decode-once requests (clip unions,
sparse clips, scattered frames). Prints a table, writes a JSON report and
exits 1 when a pair the default pipeline uses (``--required``) is WRONG.

Example::

    bash tools/data/fetch_test_videos.sh            # ~13 real clips
    python tools/analysis_tools/check_frame_accuracy.py \\
        ~/.cache/mmssl/test_videos --out work_dirs/frame_accuracy.json

Also prints the median time per sample of each pair and index-set kind
(a benchmark of the access patterns, not a test). Verdicts: accurate, WRONG (frames differ by more than the colour-rounding
tolerance, see mmssl/datasets/transforms/decode_backends/accuracy.py),
refused (the backend refuses the file with a message), unavailable (the
backend is not installed), unsupported (the backend lacks the pattern),
error (decoding raised).
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import List, Optional

from tqdm import tqdm

from mmssl.datasets.transforms.decode_backends import ACCESS_PATTERNS
from mmssl.datasets.transforms.decode_backends.accuracy import (
    SET_KINDS, check_video, summarize, timing_summary)

VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mkv', '.webm', '.mov', '.mpg', '.mpeg',
                    '.m4v', '.flv', '.ts', '.ogv', '.wmv')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('paths', nargs='+', help='video files or folders')
    parser.add_argument('--backends', nargs='+',
                        default=['decord', 'pyav', 'torchcodec'])
    parser.add_argument('--access', nargs='+', default=list(ACCESS_PATTERNS),
                        choices=ACCESS_PATTERNS)
    parser.add_argument('--required', nargs='*', default=['decord/sequential'],
                        help='backend/access pairs that must be accurate on '
                        'every file they do not refuse (exit status 1 '
                        'otherwise)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--num-sets', type=int, default=4,
                        help='index sets per video (kinds cycle: '
                        f'{", ".join(SET_KINDS)})')
    parser.add_argument('--clip-len', type=int, default=16)
    parser.add_argument('--out', help='JSON report path')
    return parser.parse_args(argv)


def list_videos(paths: List[str]) -> List[str]:
    """Video files of ``paths`` (folders searched recursively), sorted."""
    found = []
    for path in paths:
        if osp.isdir(path):
            for root, _, files in os.walk(path):
                found += [osp.join(root, f) for f in files
                          if f.lower().endswith(VIDEO_EXTENSIONS)]
        elif osp.isfile(path):
            found.append(path)
        else:
            raise FileNotFoundError(f'no such file or folder: {path}')
    return sorted(found)


def print_table(reports: List[dict]) -> None:
    """One line per (file, backend, access) that was checked."""
    print(f'{"file":28s} {"backend/access":22s} {"verdict":11s} '
          f'{"wrong":>9s} {"mean|d|":>8s} {"max|d|":>6s}')
    for rep in reports:
        name = osp.basename(rep['file'])
        if 'error' in rep:
            print(f'{name:28s} {rep["error"]}')
        for res in rep['results']:
            if res['verdict'] == 'unsupported':
                continue
            pair = f'{res["backend"]}/{res["access"]}'
            wrong = f'{res["num_wrong"]}/{res["num_frames"]}'
            print(f'{name:28s} {pair:22s} {res["verdict"]:11s} {wrong:>9s} '
                  f'{res["mean_abs_diff"]:8.2f} {res["max_abs_diff"]:6d}')


def failures(reports: List[dict], required: List[str]) -> List[str]:
    """``'file: backend/access verdict'`` for required pairs not accurate."""
    bad = []
    for rep in reports:
        if 'error' in rep:
            bad.append(f'{rep["file"]}: {rep["error"]}')
        for res in rep['results']:
            pair = f'{res["backend"]}/{res["access"]}'
            if pair in required and res['verdict'] in ('WRONG', 'error'):
                bad.append(f'{rep["file"]}: {pair} {res["verdict"]} '
                           f'{res["message"]}')
    return bad


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    videos = list_videos(args.paths)
    if not videos:
        print('no videos found', file=sys.stderr)
        return 2
    reports = [
        check_video(v, args.backends, args.access, args.seed, args.num_sets,
                    args.clip_len)
        for v in tqdm(videos, desc='frame accuracy', unit='video')
    ]
    print_table(reports)
    summary = summarize(reports)
    bad = failures(reports, args.required)
    print('summary (files per verdict):')
    for pair, counts in sorted(summary.items()):
        print(f'  {pair:22s} {counts}')
    timing = timing_summary(reports)
    print('median ms per sample (open + read + close):')
    print(f'  {"backend/access":22s}' + ''.join(f'{k:>20s}' for k in SET_KINDS))
    for pair, kinds in sorted(timing.items()):
        print(f'  {pair:22s}' + ''.join(
            f'{kinds[k]:20.1f}' if k in kinds else f'{"-":>20s}'
            for k in SET_KINDS))
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump(dict(videos=reports, summary=summary, timing_ms=timing,
                           required=args.required, failures=bad), f, indent=1)
        print(f'report written to {args.out}')
    for line in bad:
        print(f'NOT ACCURATE: {line}', file=sys.stderr)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
