"""Generate the SynthMotion dataset (MMAction2 ``VideoDataset`` format).

Example:
    python tools/data/generate_synthmotion.py --out-dir data/synthmotion
    python tools/data/generate_synthmotion.py --out-dir data/synthmotion_tiny \\
        --num-train-per-class 4 --num-val-per-class 2 --num-frames 16 \\
        --size 32 32

Without ``--overwrite`` an existing dataset made with the same parameters is
kept as it is; one made with other parameters is left untouched and the script
exits with an error. ``--overwrite`` always regenerates. See
docs/datasets/synthmotion.md.
"""
import argparse
import os
import os.path as osp
import sys
import time

try:
    from mmssl.datasets import synthmotion
except ImportError:  # running from a source checkout without installing
    sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..',
                                            '..')))
    from mmssl.datasets import synthmotion


def parse_args(argv=None) -> argparse.Namespace:
    defaults = synthmotion.DEFAULT_PARAMS
    parser = argparse.ArgumentParser(
        description='Generate the deterministic SynthMotion video dataset '
        f'({len(synthmotion.SYNTHMOTION_CLASSES)} motion classes).')
    parser.add_argument(
        '--out-dir',
        default='data/synthmotion',
        help='dataset root (data_prefix); default: %(default)s')
    parser.add_argument(
        '--num-train-per-class',
        type=int,
        default=defaults['num_train_per_class'],
        help='training videos per class; default: %(default)s')
    parser.add_argument(
        '--num-val-per-class',
        type=int,
        default=defaults['num_val_per_class'],
        help='validation videos per class; default: %(default)s')
    parser.add_argument(
        '--seed',
        type=int,
        default=defaults['seed'],
        help='global seed; default: %(default)s')
    parser.add_argument(
        '--num-frames',
        type=int,
        default=defaults['num_frames'],
        help='frames per video; default: %(default)s')
    parser.add_argument(
        '--size',
        type=int,
        nargs=2,
        metavar=('H', 'W'),
        default=[defaults['height'], defaults['width']],
        help='frame height and width; default: %(default)s')
    parser.add_argument(
        '--fps',
        type=float,
        default=defaults['fps'],
        help='frame rate of the files; default: %(default)s')
    parser.add_argument(
        '--motion',
        choices=synthmotion.MOTION_TIMINGS,
        default=defaults['motion'],
        help='motion timing: accelerating (an arrow of time, for order '
        'tasks) or constant (uniform speed, for speed tasks); default: '
        '%(default)s')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='regenerate even if the dataset exists (with any parameters)')
    parser.add_argument(
        '--variant',
        choices=sorted(synthmotion.SYNTHMOTION_VARIANTS),
        default='default',
        help='SynthMotion variant; a non-default variant takes only the '
        'options given on the command line and its own defaults for the '
        'others (e.g. articulated: 96 frames; docs/datasets/); default: '
        '%(default)s')
    return parser.parse_args(argv)


def _dir_size(path: str) -> int:
    total = 0
    for root, _, files in os.walk(path):
        total += sum(osp.getsize(osp.join(root, f)) for f in files)
    return total


_VARIANT_OPTIONS = dict(
    num_train_per_class='--num-train-per-class',
    num_val_per_class='--num-val-per-class', seed='--seed',
    num_frames='--num-frames', size='--size', fps='--fps', motion='--motion')


def _main_variant(args: argparse.Namespace, argv) -> int:
    """Generate a non-default variant with the options given explicitly."""
    tokens = {a.split('=', 1)[0] for a in
              (sys.argv[1:] if argv is None else argv)}
    params = {k: getattr(args, k) for k, opt in _VARIANT_OPTIONS.items()
              if opt in tokens}
    if args.overwrite:  # mark it unfinished: ensure() then regenerates
        from mmssl.datasets.synthmotion.layout import read_meta, write_json
        meta = read_meta(args.out_dir)
        if meta is not None:
            write_json(synthmotion.synthmotion_paths(args.out_dir)['meta'],
                       dict(meta, complete=False))
    from tqdm import tqdm
    start = time.perf_counter()
    with tqdm(unit='video', desc=f'SynthMotion {args.variant}') as bar:
        paths = synthmotion.get_synthmotion_variant(args.variant)(
            args.out_dir, progress=lambda _: bar.update(1), **params)
    print(f'SynthMotion variant {args.variant!r} in {args.out_dir} '
          f'({time.perf_counter() - start:.1f} s):')
    for key, path in paths.items():
        print(f'  {key:<10} {path}')
    return 0


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.variant != 'default':
        return _main_variant(args, argv)
    params = dict(
        num_train_per_class=args.num_train_per_class,
        num_val_per_class=args.num_val_per_class,
        seed=args.seed,
        num_frames=args.num_frames,
        height=args.size[0],
        width=args.size[1],
        fps=args.fps,
        motion=args.motion)
    out_dir = args.out_dir
    paths = synthmotion.synthmotion_paths(out_dir)

    if not args.overwrite:
        if synthmotion.is_synthmotion_up_to_date(out_dir, **params):
            print(f'SynthMotion with these parameters is already in {out_dir}'
                  ' (use --overwrite to regenerate).')
            return 0
        if osp.exists(paths['meta']) or osp.exists(paths['video_dir']):
            print(
                f'error: {out_dir} already holds a dataset made with other '
                'parameters (or an unfinished one); pass --overwrite to '
                'replace it.',
                file=sys.stderr)
            return 1

    num_classes = len(synthmotion.SYNTHMOTION_CLASSES)
    total = (args.num_train_per_class + args.num_val_per_class) * num_classes
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is an install requirement; degrade anyway
        tqdm = None
    bar = tqdm(total=total, unit='video', desc='SynthMotion') if tqdm else None
    start = time.perf_counter()
    try:
        synthmotion.generate_synthmotion(
            out_dir,
            progress=(lambda _: bar.update(1)) if bar is not None else None,
            **params)
    finally:
        if bar is not None:
            bar.close()
    elapsed = time.perf_counter() - start

    size_mb = _dir_size(paths['video_dir']) / 2**20
    print(f'Wrote {total} videos ({num_classes} classes, '
          f'{args.num_train_per_class} train + {args.num_val_per_class} val '
          f'per class, {args.num_frames} frames of {args.size[0]}x'
          f'{args.size[1]}) in {elapsed:.1f} s, {size_mb:.1f} MiB:')
    for key in ('video_dir', 'train_list', 'val_list', 'classes', 'meta'):
        print(f'  {key:<10} {paths[key]}')
    print(f"Use ann_file='{paths['train_list']}', "
          f"data_prefix=dict(video='{out_dir}').")
    return 0


if __name__ == '__main__':
    sys.exit(main())
