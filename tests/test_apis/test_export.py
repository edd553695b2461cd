"""tools/deployment/export_encoder.py: TorchScript and ONNX exports agree
with PyTorch (onnxruntime), dynamic batch, dynamic time where possible."""
import json
import os.path as osp

import numpy as np
import pytest
import torch
from probe_fixtures import REPO_ROOT, VCOP_TINY
from tool_modules import load_tool

from mmssl.apis import init_model
from mmssl.apis.export import ClipEncoder, onnx_runner

ort = pytest.importorskip('onnxruntime')
VIT_TINY = osp.join(
    REPO_ROOT,
    'configs/videomae/videomae_vit-tiny-p8_1xb8-8x32x32-mask0.9-40e_'
    'synthmotion.py')


def _export(tmp_path, config, *options):
    tool = load_tool('tools/deployment/export_encoder.py', 'export_tool')
    return tool.main([config, 'none', '--out-dir', str(tmp_path), *options])


def test_cnn_exports_match_pytorch_with_dynamic_batch_and_time(tmp_path):
    config = osp.join(REPO_ROOT, VCOP_TINY)
    report = _export(tmp_path, config, '--include-normalization')
    assert report['ok'] and report['example_shape'] == [1, 3, 8, 32, 32]
    assert report['dynamic_axes'] == ['batch', 'time']
    assert report['exports']['onnx']['opset'] == 17
    for export in report['exports'].values():
        assert export['max_rel_diff'] < 1e-4
    with open(tmp_path / 'export.json') as f:
        assert json.load(f)['checked_shapes'] == [[1, 3, 8, 32, 32],
                                                  [3, 3, 8, 32, 32],
                                                  [1, 3, 16, 32, 32]]
    # independent check: raw pixels in, the model's own predict() out
    model = init_model(config)
    clip = torch.rand(2, 3, 12, 32, 32) * 255  # batch 2, 12 frames
    with torch.no_grad():
        inputs = model.data_preprocessor(
            dict(inputs=list(clip[:, None]), data_samples=None))['inputs']
        expected = model.pooled_features(inputs)[:, 0]
    got = onnx_runner(str(tmp_path / 'encoder.onnx'))(clip.numpy())
    np.testing.assert_allclose(got, expected.numpy(), rtol=1e-4, atol=1e-5)
    traced = torch.jit.load(str(tmp_path / 'encoder.ts'))
    torch.testing.assert_close(traced(clip), expected, rtol=1e-4, atol=1e-5)


def test_vit_exports_with_fixed_time(tmp_path):
    """The ViT's positional table fixes T: only the batch is dynamic."""
    report = _export(tmp_path, VIT_TINY, '--formats', 'onnx')
    assert report['ok'] and report['dynamic_axes'] == ['batch']
    assert list(report['exports']) == ['onnx']


def test_normalization_is_refused_for_other_preprocessors():
    model = init_model(osp.join(REPO_ROOT, VCOP_TINY))
    model.data_preprocessor = torch.nn.Identity()
    with pytest.raises(ValueError, match='ActionDataPreprocessor'):
        ClipEncoder(model, include_normalization=True)


def test_recognizer_encoder_is_its_backbone_averaged():
    """A fine-tuned MMAction2 Recognizer3D exports its backbone + average."""
    model = init_model(osp.join(
        REPO_ROOT,
        'configs/benchmarks/finetune/r3d-tiny_finetune_synthmotion.py'))
    clip = torch.randn(2, 3, 8, 32, 32)
    with torch.no_grad():
        expected = model.backbone(clip).mean(dim=(2, 3, 4))
        torch.testing.assert_close(ClipEncoder(model)(clip), expected)
