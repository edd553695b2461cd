"""Re-encode a video dataset to a short side and a short key-frame interval.

Every video under SRC_ROOT (or those of ``--list``) is decoded, scaled to
``--short-side`` (never upscaled) and encoded with ``--keyint`` as maximal
key-frame interval into DST_ROOT under the same relative path, so the
annotation lists stay valid (``--ext .mp4`` changes the container, and
then writes a copy of ``--list`` with the new paths into DST_ROOT).
Parallel (``--workers``), resumable (complete outputs are skipped; see
DST_ROOT/transcode_manifest.json), checked (an output whose frame count
differs from the input's sequential frame count is not kept and is
reported). Ends with a report of the size change and the
decode-speed change (JSON: ``--report``, default
DST_ROOT/transcode_report.json). Needs PyAV (``pip install av``) or an
``ffmpeg`` binary. See docs/performance.md.

Example::

    python tools/data/transcode.py data/ucf101/videos data/ucf101/videos_128 \\
        --list data/ucf101/ucf101_train_split_1_videos.txt \\
        --short-side 128 --keyint 16 --workers 8
"""
import argparse
import json
import os.path as osp
import sys

from mmssl.datasets.transcode import (build_report, decode_speed,
                                      encoder_available, format_report,
                                      list_videos, rewrite_list,
                                      transcode_dataset,
                                      transcode_settings)
from mmssl.utils import quiet_ffmpeg


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src_root')
    parser.add_argument('dst_root')
    parser.add_argument('--list', default=None,
                        help='annotation list: only its videos')
    parser.add_argument('--delimiter', default=' ')
    parser.add_argument('--short-side', type=int, required=True,
                        help='e.g. 128, 256 or 320')
    parser.add_argument('--keyint', type=int, required=True,
                        help='maximal key-frame interval (frames)')
    parser.add_argument('--codec', default='libx264')
    parser.add_argument('--crf', type=int, default=23)
    parser.add_argument('--preset', default='medium')
    parser.add_argument('--ext', default=None,
                        help='output extension, e.g. .mp4 (default: keep '
                        "each input's); with --list, the list is copied to "
                        'DST_ROOT with the new extensions')
    parser.add_argument('--workers', type=int, default=1)
    parser.add_argument('--speed-samples', type=int, default=8,
                        help='videos timed for the decode-speed report')
    parser.add_argument('--speed-repeat', type=int, default=2)
    parser.add_argument('--report', default=None, help='report JSON path')
    parser.add_argument('--no-progress', action='store_true')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    quiet_ffmpeg()
    try:
        encoder = encoder_available()
    except ImportError as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    settings = transcode_settings(args.short_side, args.keyint, args.codec,
                                  args.crf, args.preset)
    rels = list_videos(args.src_root, args.list, args.delimiter)
    print(f'{len(rels)} videos, encoder {encoder}, settings {settings}')
    manifest = transcode_dataset(args.src_root, args.dst_root, rels,
                                 settings, encoder, args.workers,
                                 progress=not args.no_progress,
                                 ext=args.ext)
    if args.ext is not None and args.list is not None:
        new_list = osp.join(args.dst_root, osp.basename(args.list))
        rewrite_list(args.list, new_list, args.ext, args.delimiter)
        print(f'annotation list with {args.ext} paths: {new_list}')
    speed = decode_speed(args.src_root, args.dst_root,
                         list(manifest['videos'].values()),
                         args.speed_samples, args.speed_repeat)
    report = build_report(manifest, speed)
    out = args.report or osp.join(args.dst_root, 'transcode_report.json')
    with open(out, 'w', encoding='utf-8') as f:
        json.dump(report, f, indent=1)
    print(format_report(report))
    print(f'report: {out}')
    return 1 if report['num_failed'] else 0


if __name__ == '__main__':
    sys.exit(main())
