"""Convert an authors' released checkpoint into an mmssl backbone checkpoint.

The output holds ``state_dict`` with ``backbone.``-prefixed keys, like the
checkpoint of an mmssl pretraining run, so it goes straight into every
evaluation protocol: ``load_from`` of a fine-tune recipe
(``configs/benchmarks/finetune``), the linear/k-NN feature extraction and
retrieval tools, and MMAction2's ``Recognizer3D``.

Examples::

    python tools/model_converters/convert_checkpoint.py vcop-r21d \
        vcop_r21d_ucf101.pt work_dirs/converted/vcop_r21d.pth
    python tools/model_converters/convert_checkpoint.py videomae \
        checkpoint.pth work_dirs/converted/videomae_vitb_k400.pth \
        --num-frames 16 --img-size 224
    python tools/model_converters/convert_checkpoint.py --list

Every source key is renamed or dropped by an explicit rule (the report
lists what was dropped and why); the result must match the target
backbone's keys and shapes exactly, else nothing is written. See
docs/model_converters.md.
"""
import argparse
import hashlib
import json
import sys

from mmengine.config import Config

from mmssl.converters import (ConversionError, convert_state_dict,
                              get_converter, read_released_checkpoint,
                              save_converted_checkpoint)
from mmssl.converters.specs import describe_converters


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert a released checkpoint to mmssl backbone keys',
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='converters:\n  ' + '\n  '.join(describe_converters()))
    parser.add_argument('source', nargs='?', help='converter name')
    parser.add_argument('src', nargs='?', help='released checkpoint file')
    parser.add_argument('dst', nargs='?', help='output .pth')
    parser.add_argument('--list', action='store_true',
                        help='list the converters and exit')
    parser.add_argument(
        '--trust-checkpoint', action='store_true',
        help='unpickle non-tensor objects in SRC (only for trusted files)')
    parser.add_argument(
        '--backbone-config',
        help='CONFIG[:VARIABLE] of the target backbone (default: the '
        'converter\'s; VARIABLE defaults to "backbone")')
    parser.add_argument('--num-frames', type=int, default=16,
                        help='VideoMAE: clip length of the target ViT')
    parser.add_argument('--img-size', type=int, default=224,
                        help='VideoMAE: frame size of the target ViT')
    args = parser.parse_args(argv)
    if not args.list and not (args.source and args.src and args.dst):
        parser.error('give SOURCE SRC DST (or --list)')
    return args


def _file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.list:
        print('\n'.join(describe_converters()))
        return 0
    try:
        spec = get_converter(args.source)
        backbone_cfg = None
        if args.backbone_config:
            path, _, variable = args.backbone_config.partition(':')
            backbone_cfg = Config.fromfile(path)[variable or
                                                 'backbone'].to_dict()
        source = read_released_checkpoint(args.src, args.trust_checkpoint)
        state, cfg, report = convert_state_dict(
            spec, source, backbone_cfg, num_frames=args.num_frames,
            img_size=args.img_size) if callable(spec.backbone) else \
            convert_state_dict(spec, source, backbone_cfg)
    except (ConversionError, KeyError, FileNotFoundError) as err:
        print(f'error: {err}', file=sys.stderr)
        return 1
    meta = dict(converter=spec.name, source_file=args.src,
                source_sha256=_file_sha256(args.src), backbone=cfg,
                dropped=report.dropped, filled=report.filled)
    save_converted_checkpoint(args.dst, state, meta)
    print(report.summary())
    print(f'target backbone: {json.dumps(cfg)}')
    print(f'wrote {args.dst} ({len(state)} backbone tensors)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
