"""RSPNet's S3D-G and ResNet-18, CtP's R3D-18 and R(2+1)D-18 converters:
every released key is mapped, shapes fit, and the converted backbone
computes what the released architecture computes."""
import pytest
import torch
from released_reference_nets import randomise_bn
from released_reference_nets_ctp import CtPR3D18
from released_reference_nets_rspnet import RSPNetResNet18, RSPNetS3DG
from tool_modules import load_tool

from mmssl.converters import (ConversionError, build_backbone,
                              convert_state_dict, get_converter)

convert_tool = load_tool('tools/model_converters/convert_checkpoint.py',
                         'convert_checkpoint')


def _converted_output(name, wrapped_state, x, backbone_cfg=None):
    state, cfg, report = convert_state_dict(get_converter(name),
                                            wrapped_state, backbone_cfg)
    target = build_backbone(cfg)
    target.load_state_dict(state, strict=True)
    target.eval()  # MMAction2's ResNet3d.train() returns None
    with torch.no_grad():
        return target(x).mean((2, 3, 4)), report


def _rspnet_reference():
    torch.manual_seed(3)
    return randomise_bn(RSPNetS3DG())


@pytest.mark.parametrize('prefix', ['encoder_q.encoder.', 'encoder.'])
def test_rspnet_s3dg_reproduces_released_output(prefix):
    """Pre-training (MoCo query encoder) and fine-tuned
    (``MultiTaskWrapper(finetune=True)``) checkpoints."""
    reference = _rspnet_reference()
    wrapped = {prefix + k: v for k, v in reference.state_dict().items()}
    if prefix == 'encoder_q.encoder.':
        wrapped['encoder_q.fc1.weight'] = torch.zeros(128, 1024)
        wrapped['encoder_k.encoder.fc.weight'] = torch.zeros(1, 1024)
        wrapped['queue'] = torch.zeros(128, 16)
    else:
        wrapped['fc.weight'] = torch.zeros(101, 1024)
    # 80x80: the last max-pool sees 5x5, where rounding down (RSPNet)
    # and up (TF-Slim) differ
    x = torch.randn(1, 3, 8, 80, 80)
    actual, report = _converted_output('rspnet-s3dg', wrapped, x)
    with torch.no_grad():
        expected = reference(x)
    torch.testing.assert_close(actual, expected, rtol=1e-4, atol=1e-4)
    assert 'classifier' in report.dropped['fc.weight']
    gates = [k for k in report.filled if k.endswith('gate.fc.weight')]
    assert len(gates) == 2 + 2 * 9  # conv1, conv2c, 2 per Inception block
    assert len(report.renamed) == len(reference.state_dict()) - 2


def test_rspnet_s3dg_does_not_fit_the_tf_slim_layout():
    state = _rspnet_reference().state_dict()
    with pytest.raises(ConversionError, match='conv1.conv_s.conv.weight'):
        convert_state_dict(get_converter('rspnet-s3dg'), state,
                           dict(type='S3DG', first_temporal_kernel_size=7))


def test_ctp_r3d18_reproduces_released_output():
    torch.manual_seed(4)
    reference = randomise_bn(CtPR3D18())
    # MMCV checkpoint of CtP: backbone. and the tracking head under head.
    wrapped = {f'backbone.{k}': v for k, v in reference.state_dict().items()}
    wrapped['head.roi_fc.weight'] = torch.zeros(512, 4)
    x = torch.randn(1, 3, 8, 32, 32)
    actual, report = _converted_output('ctp-r3d18', wrapped, x)
    with torch.no_grad():
        expected = reference(x)
    torch.testing.assert_close(actual, expected, rtol=1e-4, atol=1e-4)
    assert report.dropped == {
        'head.roi_fc.weight': 'outside the backbone prefix "backbone."'}
    assert report.renamed['layer4.0.downsample_bn.running_var'] == \
        'layer4.0.downsample.bn.running_var'


def test_ctp_r3d18_finetuned_recognizer_with_the_finetune_layout():
    """CtP's fine-tuned TSN (stage 4 halves H, W too): converted with the
    config's ``finetune_backbone``; the pre-training layout differs."""
    from mmengine.config import Config
    torch.manual_seed(5)
    reference = randomise_bn(CtPR3D18(finetune=True))
    wrapped = {f'backbone.{k}': v for k, v in reference.state_dict().items()}
    wrapped['cls_head.fc_cls.weight'] = torch.zeros(101, 512)
    cfg = Config.fromfile('configs/_base_/models/backbones/r3d_18_ctp.py')
    x = torch.randn(1, 3, 8, 32, 32)
    with torch.no_grad():
        expected = reference(x)
    actual, _ = _converted_output('ctp-r3d18', wrapped, x,
                                  cfg.finetune_backbone.to_dict())
    torch.testing.assert_close(actual, expected, rtol=1e-4, atol=1e-4)
    pretrain_layout, _ = _converted_output('ctp-r3d18', wrapped, x)
    assert not torch.allclose(pretrain_layout, expected, atol=1e-3)


def test_cli_converts_an_rspnet_pretraining_file(tmp_path, capsys):
    """RSPNet saves {'model', 'arch', 'epoch', 'optimizer', ...}: the
    tensors-only loader reads it without --trust-checkpoint."""
    reference = RSPNetS3DG()
    src = str(tmp_path / 'rspnet_s3dg.pth.tar')
    torch.save({'epoch': 200, 'arch': 's3dg',
                'model': {f'encoder_q.encoder.{k}': v
                          for k, v in reference.state_dict().items()},
                'optimizer': {'state': {}, 'param_groups': [{'lr': 0.05}]}},
               src)
    dst = str(tmp_path / 'converted.pth')
    assert convert_tool.main(['rspnet-s3dg', src, dst]) == 0
    ckpt = torch.load(dst, weights_only=True)
    assert ckpt['state_dict']['backbone.mixed_5c.branch2.1.gate.fc.weight'] \
        .shape == (128, 128)
    assert convert_tool.main(['--list']) == 0
    listed = capsys.readouterr().out
    for name in ('rspnet-s3dg', 'rspnet-r3d18', 'ctp-r3d18',
                 'ctp-r2plus1d18'):
        assert name in listed


def _backbone_config(name, variable='backbone'):
    from mmengine.config import Config
    cfg = Config.fromfile(f'configs/_base_/models/backbones/{name}.py')
    return cfg[variable].to_dict()


@pytest.mark.parametrize('prefix', ['encoder_q.encoder.', 'encoder.'])
def test_rspnet_r3d18_reproduces_released_output(prefix):
    """RSPNet's ResNet-18 (3x3x3 stem max-pool, stride 2 in time too), in
    the pre-training and fine-tuned wrappers; MMAction2's (1, 3, 3) stem
    pool on the same weights differs."""
    torch.manual_seed(6)
    reference = randomise_bn(RSPNetResNet18())
    wrapped = {prefix + k: v for k, v in reference.state_dict().items()}
    if prefix == 'encoder_q.encoder.':
        wrapped['encoder_q.fc1.2.weight'] = torch.zeros(128, 512)
        wrapped['encoder_k.encoder.conv1.weight'] = torch.zeros(1)
    else:  # MultiTaskWrapper(finetune=True)'s classifier
        wrapped['fc.weight'] = torch.zeros(101, 512)
    x = torch.randn(1, 3, 8, 32, 32)
    with torch.no_grad():
        expected = reference(x)
    actual, report = _converted_output('rspnet-r3d18', wrapped, x)
    torch.testing.assert_close(actual, expected, rtol=1e-4, atol=1e-4)
    assert len(report.renamed) == len(reference.state_dict()) - 2
    assert 'classifier' in report.dropped['fc.weight']  # encoder's fc
    assert report.renamed['layer2.0.downsample.1.running_var'] == \
        'layer2.0.downsample.bn.running_var'
    plain = _backbone_config('r3d_18_rspnet')
    plain.pop('pool1_kernel_t')
    plain['type'] = 'ResNet3d'
    pool_1x3x3, _ = _converted_output('rspnet-r3d18', wrapped, x, plain)
    assert not torch.allclose(pool_1x3x3, expected, atol=1e-3)


def _ctp_r2plus1d_release(finetune, seed):
    torch.manual_seed(seed)
    reference = randomise_bn(CtPR3D18(finetune=finetune, r2plus1d=True))
    wrapped = {f'backbone.{k}': v for k, v in reference.state_dict().items()}
    return reference, wrapped


def test_ctp_r2plus1d18_reproduces_released_output():
    reference, wrapped = _ctp_r2plus1d_release(False, 7)
    wrapped['head.roi_fc.weight'] = torch.zeros(512, 4)
    x = torch.randn(1, 3, 8, 32, 32)
    with torch.no_grad():
        expected = reference(x)
    actual, report = _converted_output('ctp-r2plus1d18', wrapped, x)
    torch.testing.assert_close(actual, expected, rtol=1e-4, atol=1e-4)
    assert len(report.renamed) == len(reference.state_dict())
    assert list(report.dropped) == ['head.roi_fc.weight']
    assert report.renamed['stem.conv_s.weight'] == 'conv1.0.conv_s.weight'
    assert report.renamed['stem.bn_t.running_mean'] == 'conv1.1.running_mean'
    assert report.renamed['layer4.0.downsample.conv.weight'] == \
        'layer4.0.downsample.0.weight'
    assert wrapped['backbone.stem.conv_s.weight'].shape[0] == 45


def test_ctp_r2plus1d18_finetune_layout_and_vcop_layout():
    """CtP's fine-tuned recognizer needs ``finetune_backbone`` (the
    pre-training layout then differs); VCOP's R(2+1)D-18 layout (stem
    width 83, factorised shortcuts) does not fit the release."""
    reference, wrapped = _ctp_r2plus1d_release(True, 8)
    wrapped['cls_head.fc_cls.weight'] = torch.zeros(101, 512)
    x = torch.randn(1, 3, 8, 32, 32)
    with torch.no_grad():
        expected = reference(x)
    actual, _ = _converted_output(
        'ctp-r2plus1d18', wrapped, x,
        _backbone_config('r2plus1d_18_ctp', 'finetune_backbone'))
    torch.testing.assert_close(actual, expected, rtol=1e-4, atol=1e-4)
    pretrain_layout, _ = _converted_output('ctp-r2plus1d18', wrapped, x)
    assert not torch.allclose(pretrain_layout, expected, atol=1e-3)
    with pytest.raises(ConversionError, match='conv1.0.conv_s.weight'):
        convert_state_dict(get_converter('ctp-r2plus1d18'), wrapped,
                           dict(type='R2Plus1DVCOP', layer_sizes=(2, 2, 2, 2)))
