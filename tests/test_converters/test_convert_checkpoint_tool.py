"""tools/model_converters/convert_checkpoint.py end to end: a released file
in, a checkpoint that MMAction2's Recognizer3D loads out."""
import torch
from mmengine.runner import load_checkpoint
from released_reference_nets import VCOPResNet
from tool_modules import load_tool

from mmssl.registry import MODELS
from mmssl.utils import register_all_modules

convert_tool = load_tool('tools/model_converters/convert_checkpoint.py',
                         'convert_checkpoint')


def test_cli_writes_a_checkpoint_that_recognizer3d_loads(tmp_path, capsys):
    released = VCOPResNet(r21d=True)
    src = str(tmp_path / 'prp_r21d.pth')
    torch.save({f'module.base_network.{k}': v
                for k, v in released.state_dict().items()}, src)
    dst = str(tmp_path / 'out' / 'converted.pth')
    assert convert_tool.main(['vcop-r21d', src, dst]) == 0
    assert 'wrote' in capsys.readouterr().out
    ckpt = torch.load(dst, weights_only=True)
    assert all(k.startswith('backbone.') for k in ckpt['state_dict'])
    assert ckpt['meta']['converter'] == 'vcop-r21d'
    assert len(ckpt['meta']['source_sha256']) == 64

    register_all_modules()
    recognizer = MODELS.build(
        dict(type='Recognizer3D',
             backbone=dict(type='R2Plus1DVCOP'),
             cls_head=dict(type='I3DHead', num_classes=5, in_channels=512)))
    load_checkpoint(recognizer, dst, map_location='cpu', strict=False)
    torch.testing.assert_close(
        recognizer.backbone.layer3[0].conv1.conv_s.weight,
        released.conv4.block1.conv1.spatial_conv.weight)


def test_cli_reports_errors_without_traceback(tmp_path, capsys):
    src = str(tmp_path / 'bad.pth')
    torch.save({'whatever.weight': torch.zeros(1)}, src)
    assert convert_tool.main(['vcop-c3d', src, str(tmp_path / 'o.pth')]) == 1
    assert 'match no conversion rule' in capsys.readouterr().err
    assert not (tmp_path / 'o.pth').exists()
    assert convert_tool.main(['--list']) == 0
    assert 'tclr-r3d18' in capsys.readouterr().out
