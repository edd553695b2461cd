"""Checkpoint converters: every released key is mapped, shapes fit, and the
converted backbone computes what the released architecture computes."""
import argparse

import pytest
import torch
from released_reference_nets import (TCLRR3D18, VCOPC3D, VCOPResNet,
                                     VideoMAEViT, randomise_bn)

from mmssl.converters import (ConversionError, build_backbone,
                              convert_state_dict, get_converter,
                              read_released_checkpoint)


def _pooled(backbone, x):
    out = backbone(x)
    return out.mean((2, 3, 4)) if out.dim() == 5 else out


def _check_same_output(name, reference, wrapped_state, x, **kwargs):
    state, cfg, report = convert_state_dict(get_converter(name),
                                            wrapped_state, **kwargs)
    target = build_backbone(cfg)
    target.eval()  # MMAction2's ResNet3d.train() returns None
    missing, unexpected = target.load_state_dict(state, strict=False)
    assert not unexpected
    with torch.no_grad():
        expected = reference(x)
        actual = _pooled(target, x)
    assert actual.shape == expected.shape
    torch.testing.assert_close(actual, expected, rtol=1e-4, atol=1e-4)
    return state, report, missing


@pytest.mark.parametrize('name,make', [
    ('vcop-c3d', VCOPC3D),
    ('vcop-r3d', lambda: VCOPResNet(r21d=False)),
    ('vcop-r21d', lambda: VCOPResNet(r21d=True)),
])
def test_vcop_family_reproduces_released_output(name, make):
    torch.manual_seed(0)
    reference = randomise_bn(make())
    # VCOP's VCOPN keeps the backbone under base_network. next to its head
    wrapped = {f'base_network.{k}': v
               for k, v in reference.state_dict().items()}
    wrapped['fc8.weight'] = torch.zeros(6, 1024)
    x = torch.randn(1, 3, 8, 16, 16)
    state, report, missing = _check_same_output(name, reference, wrapped, x)
    assert not missing
    assert report.dropped['fc8.weight'].startswith('outside the backbone')
    if name == 'vcop-c3d':
        assert 'classifier' in report.dropped['linear.weight']


@pytest.mark.parametrize('prefix', ['module.base_network.', 'encoder_q.encoder.',
                                    'module.', ''])
def test_vcop_family_wrappers_of_prp_and_rspnet(prefix):
    """PRP (DataParallel SSCN), RSPNet (MoCo query encoder), fine-tuned."""
    reference = VCOPResNet(r21d=True)
    state = {prefix + k: v for k, v in reference.state_dict().items()}
    if prefix == 'encoder_q.encoder.':
        state['encoder_q.fc1.weight'] = torch.zeros(128, 512)
        state['encoder_k.encoder.conv1.bn.weight'] = torch.zeros(1)
    converted, _, _ = convert_state_dict(get_converter('vcop-r21d'), state)
    assert converted['layer4.0.downsample.1.running_var'].equal(
        reference.conv5.block1.downsamplebn.running_var)
    assert converted['conv1.0.conv_t.weight'].equal(
        reference.conv1.temporal_conv.weight)


def test_old_checkpoint_without_bn_counters_is_filled():
    reference = VCOPC3D()
    state = {k: v for k, v in reference.state_dict().items()
             if not k.endswith('num_batches_tracked')}
    converted, _, report = convert_state_dict(get_converter('vcop-c3d'),
                                              state)
    assert converted['conv5b.bn.num_batches_tracked'].item() == 0
    assert len(report.filled) == 8


def test_tclr_reproduces_released_output_with_dilated_stage4():
    torch.manual_seed(1)
    reference = randomise_bn(TCLRR3D18())
    # TCLR saves nn.Sequential(backbone, mlp) wrapped in DataParallel
    wrapped = {f'module.0.{k}': v for k, v in reference.state_dict().items()}
    wrapped['module.1.layer1.weight'] = torch.zeros(512, 512)
    x = torch.randn(1, 3, 16, 16, 16)
    state, report, missing = _check_same_output('tclr-r3d18', reference,
                                                wrapped, x)
    assert not missing
    assert 'classifier' in report.dropped['fc.weight']
    # the same keys load into the plain (stride-only) TCLR-family backbone
    from mmengine.config import Config
    plain = Config.fromfile('configs/_base_/models/tclr_family_r3d_18.py')
    plain_backbone = build_backbone(plain.r3d_18_backbone)
    plain_backbone.load_state_dict(state, strict=True)
    plain_backbone.eval()
    with torch.no_grad():  # ... but without the dilation stage 4 differs
        assert not torch.allclose(_pooled(plain_backbone, x), reference(x),
                                  atol=1e-3)


def _videomae_reference():
    torch.manual_seed(2)
    return randomise_bn(VideoMAEViT(dim=384, depth=2, heads=6, patch=16,
                                    tubelet=2, num_tokens=2 * 2 * 2))


def test_videomae_finetuned_release_reproduces_output():
    reference = _videomae_reference()
    state = dict(reference.state_dict())
    x = torch.randn(2, 3, 4, 32, 32)
    converted, report, missing = _check_same_output(
        'videomae', reference, state, x, num_frames=4, img_size=32)
    assert not missing
    assert report.filled['pos_embed'] == 'fixed sinusoid table recomputed'
    assert 'classifier' in report.dropped['head.weight']


def test_videomae_pretraining_release_drops_decoder_and_token_norm():
    reference = _videomae_reference()
    state = {f'encoder.{k}': v for k, v in reference.state_dict().items()
             if not k.startswith(('fc_norm', 'head'))}
    state['encoder.norm.weight'] = torch.ones(384)
    state['encoder.norm.bias'] = torch.zeros(384)
    state['decoder.blocks.0.norm1.weight'] = torch.ones(192)
    state['encoder_to_decoder.weight'] = torch.zeros(192, 384)
    state['mask_token'] = torch.zeros(1, 1, 192)
    converted, cfg, report = convert_state_dict(
        get_converter('videomae'), state, num_frames=4, img_size=32)
    assert 'fc_norm.weight' not in converted
    assert 'token norm' in report.dropped['norm.weight']
    assert report.dropped['mask_token'].startswith('outside the backbone')
    missing, unexpected = build_backbone(cfg).load_state_dict(converted,
                                                              strict=False)
    assert sorted(missing) == ['fc_norm.bias', 'fc_norm.weight']
    assert not unexpected


def _hf_layout(reference, dim=384):
    """The reference's weights under transformers 5.x key names."""
    hf = {}
    sd = reference.state_dict()
    hf['videomae.embeddings.patch_embeddings.projection.weight'] = \
        sd['patch_embed.proj.weight']
    hf['videomae.embeddings.patch_embeddings.projection.bias'] = \
        sd['patch_embed.proj.bias']
    for i in range(len(reference.blocks)):
        src, dst = f'blocks.{i}.', f'videomae.encoder.layer.{i}.'
        q, k, v = sd[src + 'attn.qkv.weight'].split(dim)
        att = dst + 'attention.attention.'
        hf.update({att + 'query.weight': q, att + 'key.weight': k,
                   att + 'value.weight': v,
                   att + 'query.bias': sd[src + 'attn.q_bias'],
                   att + 'value.bias': sd[src + 'attn.v_bias']})
        for name, new in (('attn.proj', 'attention.output.dense'),
                          ('mlp.fc1', 'intermediate.dense'),
                          ('mlp.fc2', 'output.dense'),
                          ('norm1', 'layernorm_before'),
                          ('norm2', 'layernorm_after')):
            for p in ('weight', 'bias'):
                hf[f'{dst}{new}.{p}'] = sd[f'{src}{name}.{p}']
    hf['fc_norm.weight'] = sd['fc_norm.weight']
    hf['fc_norm.bias'] = sd['fc_norm.bias']
    hf['classifier.weight'] = sd['head.weight']
    hf['classifier.bias'] = sd['head.bias']
    return hf


def test_videomae_hugging_face_layout_reproduces_output():
    reference = _videomae_reference()
    x = torch.randn(2, 3, 4, 32, 32)
    _, report, missing = _check_same_output(
        'videomae-hf', reference, _hf_layout(reference), x, num_frames=4,
        img_size=32)
    assert not missing
    assert report.filled['blocks.1.attn.qkv.weight'].startswith('query')


def test_videomae_real_transformers_model_if_installed():
    transformers = pytest.importorskip('transformers')
    config = transformers.VideoMAEConfig(
        image_size=32, patch_size=16, num_frames=4, tubelet_size=2,
        hidden_size=384, num_hidden_layers=2, num_attention_heads=6,
        intermediate_size=1536, num_labels=5, use_mean_pooling=True)
    model = transformers.VideoMAEForVideoClassification(config).eval()
    x = torch.randn(2, 3, 4, 32, 32)
    state, cfg, _ = convert_state_dict(get_converter('videomae-hf'),
                                       model.state_dict(), num_frames=4,
                                       img_size=32)
    target = build_backbone(cfg)
    target.eval()
    target.load_state_dict(state)
    with torch.no_grad():
        hidden = model.videomae(x.transpose(1, 2)).last_hidden_state
        torch.testing.assert_close(target(x), model.fc_norm(hidden.mean(1)),
                                   rtol=1e-4, atol=1e-4)


def test_unknown_key_and_shape_mismatch_are_clear_errors():
    state = VCOPC3D().state_dict()
    state['gamma'] = torch.zeros(1)
    with pytest.raises(ConversionError, match='match no conversion.*gamma'):
        convert_state_dict(get_converter('vcop-c3d'), state)
    del state['gamma']
    state['conv9.weight'] = torch.zeros(1)
    with pytest.raises(ConversionError,
                       match=r'conv9.conv.weight \(from conv9.weight\)'):
        convert_state_dict(get_converter('vcop-c3d'), state)
    r3d = VCOPResNet().state_dict()
    r3d['conv1.temporal_spatial_conv.weight'] = torch.zeros(64, 3, 3, 3, 3)
    with pytest.raises(ConversionError, match='shape mismatch.*conv1'):
        convert_state_dict(get_converter('vcop-r3d'), r3d)
    del r3d['bn1.weight']
    r3d['conv1.temporal_spatial_conv.weight'] = torch.zeros(64, 3, 3, 7, 7)
    with pytest.raises(ConversionError, match='missing.*conv1.bn.weight'):
        convert_state_dict(get_converter('vcop-r3d'), r3d)
    with pytest.raises(KeyError, match='known'):
        get_converter('nope')


def test_reader_refuses_pickled_objects_unless_trusted(tmp_path):
    path = str(tmp_path / 'released.pth')
    torch.save({'state_dict': {'a': torch.zeros(1)},
                'args': argparse.Namespace(lr=0.1)}, path)
    with pytest.raises(ConversionError, match='--trust-checkpoint'):
        read_released_checkpoint(path)
    assert list(read_released_checkpoint(path, trust=True)) == ['a']
    with pytest.raises(ConversionError, match='not found'):
        read_released_checkpoint(str(tmp_path / 'missing.pth'))
