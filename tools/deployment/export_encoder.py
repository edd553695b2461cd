"""Export the video encoder of a (pre)trained model to TorchScript and ONNX.

Example::

    python tools/deployment/export_encoder.py \
        configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py \
        work_dirs/vcop/epoch_40.pth --out-dir work_dirs/vcop/export

    # raw 0..255 pixels in (normalisation folded in), a fixed clip shape
    python tools/deployment/export_encoder.py CONFIG CKPT --out-dir DIR \
        --include-normalization --shape 1 3 16 112 112

Writes ``DIR/encoder.ts`` (TorchScript, traced), ``DIR/encoder.onnx``
(opset 17 unless ``--opset``; input ``clip`` ``(B, C, T, H, W)``, output
``embedding`` ``(B, D)``) and ``DIR/export.json``: shapes, dynamic axes,
normalisation, and the largest difference of each export from PyTorch on
random clips at batch 1 and 3 (and at another clip length when time is
dynamic), measured with onnxruntime for ONNX. The exit status is 1 if a
difference exceeds ``--rtol`` of the output's scale. See
:mod:`mmssl.apis.export` and docs/deployment.md.
"""
import argparse
import json
import os
import os.path as osp
import sys

import torch
from mmengine.config import DictAction

import mmssl  # noqa: F401  (allow-lists safe checkpoint types)
from mmssl.apis import init_model
from mmssl.apis.export import (DEFAULT_OPSET, ClipEncoder, compare_outputs,
                               export_onnx, export_torchscript, onnx_runner,
                               supports_other_clip_shape)
from mmssl.apis.tool_logger import tool_logger
from mmssl.evaluation.protocol_config import iter_test_pipelines


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Export a video encoder to TorchScript / ONNX')
    parser.add_argument('config')
    parser.add_argument(
        'checkpoint', help='checkpoint, or "none" for random initialisation')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument(
        '--formats', default='torchscript,onnx',
        help='comma-separated: torchscript, onnx')
    parser.add_argument(
        '--shape', type=int, nargs=5, metavar=('B', 'C', 'T', 'H', 'W'),
        help='example clip (default: 1, 3 and the test pipeline\'s clip '
        'length and crop size)')
    parser.add_argument('--opset', type=int, default=DEFAULT_OPSET)
    parser.add_argument(
        '--dynamic-time', default='auto', choices=('auto', 'on', 'off'),
        help='auto: dynamic if the model runs on another clip length')
    parser.add_argument(
        '--include-normalization', action='store_true',
        help='fold the data preprocessor mean/std into the export')
    parser.add_argument('--rtol', type=float, default=1e-4)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value')
    return parser.parse_args(argv)


def clip_shape_from_config(cfg) -> list:
    """``[1, 3, T, S, S]`` from the test pipeline (clip_len, crop size)."""
    clip_len = crop = None
    for pipeline in iter_test_pipelines(cfg):
        for transform in pipeline:
            clip_len = transform.get('clip_len', clip_len)
            crop = transform.get('crop_size', crop)
    if clip_len is None or crop is None:
        raise ValueError(f'{cfg.filename}: no clip_len / crop_size in the '
                         'test pipeline; pass --shape B C T H W')
    height, width = (crop, crop) if isinstance(crop, int) else crop[::-1]
    return [1, 3, int(clip_len), int(height), int(width)]


def main(argv=None) -> dict:
    args = parse_args(argv)
    formats = [f for f in args.formats.split(',') if f]
    unknown = set(formats) - {'torchscript', 'onnx'}
    if unknown:
        raise ValueError(f'unknown formats {sorted(unknown)}')
    tool_logger('mmssl-export')
    model = init_model(args.config, args.checkpoint, 'cpu',
                       args.cfg_options, args.seed)
    shape = args.shape or clip_shape_from_config(model.cfg)
    encoder = ClipEncoder(model, args.include_normalization).eval()
    longer = shape[:2] + [shape[2] * 2] + shape[3:]
    dynamic_time = (args.dynamic_time == 'on'
                    or (args.dynamic_time == 'auto'
                        and supports_other_clip_shape(encoder, longer)))
    checked = [shape, [3] + shape[1:]] + ([longer] if dynamic_time else [])
    os.makedirs(args.out_dir, exist_ok=True)
    torch.manual_seed(args.seed)
    example = torch.randn(*shape) * 50 + 100
    report = dict(
        config=args.config, checkpoint=args.checkpoint,
        input='clip (B, C, T, H, W) float32, '
        + ('pixel values 0..255' if args.include_normalization else
           'normalised as the config\'s data_preprocessor does'),
        output='embedding (B, D)', example_shape=shape,
        dynamic_axes=['batch'] + (['time'] if dynamic_time else []),
        checked_shapes=checked, rtol=args.rtol, exports={})
    if 'torchscript' in formats:
        path = osp.join(args.out_dir, 'encoder.ts')
        traced = export_torchscript(encoder, example, path)
        worst = compare_outputs(
            encoder, lambda clip: traced(torch.from_numpy(clip)), checked)
        report['exports']['torchscript'] = dict(
            file=path, max_abs_diff=worst[0], max_rel_diff=worst[1])
    if 'onnx' in formats:
        path = osp.join(args.out_dir, 'encoder.onnx')
        export_onnx(encoder, example, path, args.opset, dynamic_time)
        worst = compare_outputs(encoder, onnx_runner(path), checked)
        report['exports']['onnx'] = dict(
            file=path, opset=args.opset, max_abs_diff=worst[0],
            max_rel_diff=worst[1], checked_with='onnxruntime')
    report['ok'] = all(e['max_rel_diff'] <= args.rtol
                       for e in report['exports'].values())
    with open(osp.join(args.out_dir, 'export.json'), 'w') as f:
        json.dump(report, f, indent=2)
    print(json.dumps(report, indent=2))
    return report


if __name__ == '__main__':
    try:
        result = main()
    except (FileNotFoundError, KeyError, ValueError, ImportError) as error:
        sys.exit(f'{type(error).__name__}: {error}')
    sys.exit(0 if result['ok'] else 1)
