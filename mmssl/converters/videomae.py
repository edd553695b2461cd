"""Converters for VideoMAE encoders: the authors' release and Hugging Face
``transformers``.

Tong et al., "VideoMAE: Masked Autoencoders are Data-Efficient Learners for
Self-Supervised Video Pre-Training", NeurIPS 2022 (MCG-NJU/VideoMAE,
``modeling_pretrain.py`` / ``modeling_finetune.py``), and ``transformers``'
``VideoMAEModel`` / ``VideoMAEForPreTraining`` /
``VideoMAEForVideoClassification`` (weights under ``videomae.``).

Target: MMAction2's ``VisionTransformer`` (``mmaction/models/backbones/
vit_mae.py``), mmssl's VideoMAE backbone. Choices, as in the authors'
fine-tuning code (``run_class_finetuning.py``):

- The pre-training encoder's final ``norm`` is dropped: fine-tuning with mean
  pooling has no token norm and starts ``fc_norm`` afresh, so a converted
  pre-training checkpoint has no ``fc_norm`` (the recognizer initialises it).
- The fixed sinusoidal ``pos_embed`` is not stored by either release; it is
  recomputed with MMAction2's formula, which is the authors' (same
  exponent, sine on even and cosine on odd channels, float64 then float32).
- Hugging Face's separate ``query``/``key``/``value`` weights are stacked
  into MMAction2's fused ``qkv`` (rows in q, k, v order); the query and
  value biases (``query.bias``/``value.bias``, or ``q_bias``/``v_bias`` in
  older ``transformers``) become ``q_bias``/``v_bias`` (the key has no bias
  in either model).
"""
from typing import Dict

import torch

from .key_mapping import (ConversionError, ConversionReport, DropRule,
                          KeyRule)

VIDEOMAE_PREFIXES = ('module.encoder.', 'encoder.', 'module.backbone.',
                     'backbone.', 'module.', '')
# The encoder sits under ``videomae.`` in the task models but their
# ``fc_norm`` does not, so HF rules match an optional ``videomae.`` instead
# of selecting a prefix.
HF_VIDEOMAE_PREFIXES = ('', )

_CLASSIFIER = 'classifier of the released model (not part of the backbone)'
_TOKEN_NORM = ('pre-training encoder\'s final token norm; VideoMAE '
               'fine-tuning (mean pooling) does not load it')

VIDEOMAE_DROPS = (
    DropRule(r'head\..+', _CLASSIFIER),
    DropRule(r'norm\.(weight|bias)', _TOKEN_NORM),
)

VIDEOMAE_RULES = (
    KeyRule(r'patch_embed\.proj\.(weight|bias)', r'patch_embed.projection.\1'),
    KeyRule(r'pos_embed', 'pos_embed'),
    KeyRule(r'blocks\.(\d+)\.(norm[12])\.(weight|bias)', r'blocks.\1.\2.\3'),
    KeyRule(r'blocks\.(\d+)\.attn\.(qkv\.weight|q_bias|v_bias|proj\.weight|'
            r'proj\.bias)', r'blocks.\1.attn.\2'),
    KeyRule(r'blocks\.(\d+)\.mlp\.fc1\.(weight|bias)',
            r'blocks.\1.mlp.layers.0.0.\2'),
    KeyRule(r'blocks\.(\d+)\.mlp\.fc2\.(weight|bias)',
            r'blocks.\1.mlp.layers.1.\2'),
    KeyRule(r'fc_norm\.(weight|bias)', r'fc_norm.\1'),
)

_HF = r'(?:videomae\.)?'
HF_VIDEOMAE_DROPS = (
    DropRule(r'classifier\..+', _CLASSIFIER),
    DropRule(_HF + r'layernorm\.(weight|bias)', _TOKEN_NORM),
    DropRule(r'(decoder\..+|encoder_to_decoder\..+|mask_token)',
             'VideoMAE pre-training decoder (not part of the encoder)'),
)

_LAYER = _HF + r'encoder\.layer\.(\d+)\.'
HF_VIDEOMAE_RULES = (
    KeyRule(_HF + r'embeddings\.patch_embeddings\.projection\.(weight|bias)',
            r'patch_embed.projection.\1'),
    KeyRule(_LAYER + r'layernorm_before\.(weight|bias)', r'blocks.\1.norm1.\2'),
    KeyRule(_LAYER + r'layernorm_after\.(weight|bias)', r'blocks.\1.norm2.\2'),
    KeyRule(_LAYER + r'attention\.attention\.(query|key|value)\.weight',
            r'blocks.\1.attn.qkv.weight#\2'),
    # transformers 5.x (checked: 5.25) stores the biases as query.bias /
    # value.bias,
    # older releases as q_bias / v_bias
    KeyRule(_LAYER + r'attention\.attention\.(q_bias|v_bias)',
            r'blocks.\1.attn.\2'),
    KeyRule(_LAYER + r'attention\.attention\.query\.bias',
            r'blocks.\1.attn.q_bias'),
    KeyRule(_LAYER + r'attention\.attention\.value\.bias',
            r'blocks.\1.attn.v_bias'),
    KeyRule(_LAYER + r'attention\.output\.dense\.(weight|bias)',
            r'blocks.\1.attn.proj.\2'),
    KeyRule(_LAYER + r'intermediate\.dense\.(weight|bias)',
            r'blocks.\1.mlp.layers.0.0.\2'),
    KeyRule(_LAYER + r'output\.dense\.(weight|bias)',
            r'blocks.\1.mlp.layers.1.\2'),
    KeyRule(r'fc_norm\.(weight|bias)', r'fc_norm.\1'),
)


def fuse_hf_qkv(state: Dict[str, torch.Tensor],
                report: ConversionReport) -> None:
    """Stack ``blocks.i.attn.qkv.weight#{query,key,value}`` (``(D, D)``
    each) into ``blocks.i.attn.qkv.weight`` (``(3D, D)``), in place."""
    parts = sorted({k.split('#')[0] for k in state if '#' in k})
    for fused in parts:
        try:
            pieces = [state.pop(f'{fused}#{n}') for n in ('query', 'key',
                                                         'value')]
        except KeyError as err:
            raise ConversionError(f'{fused}: Hugging Face checkpoint lacks '
                                  f'{err} of query/key/value') from err
        state[fused] = torch.cat(pieces, dim=0)
        report.filled[fused] = 'query, key and value weights stacked'


def fill_sinusoid_pos_embed(state: Dict[str, torch.Tensor],
                            target_state: Dict[str, torch.Tensor],
                            report: ConversionReport) -> None:
    """Add MMAction2's fixed sinusoidal ``pos_embed`` when the release has
    none (it is not a parameter there), with the target's shape."""
    if 'pos_embed' in state or 'pos_embed' not in target_state:
        return
    from mmaction.models.backbones.vit_mae import get_sinusoid_encoding
    _, num_tokens, dims = target_state['pos_embed'].shape
    state['pos_embed'] = get_sinusoid_encoding(num_tokens, dims)
    report.filled['pos_embed'] = 'fixed sinusoid table recomputed'


def videomae_backbone_cfg(state: Dict[str, torch.Tensor],
                          num_frames: int = 16,
                          img_size: int = 224) -> dict:
    """The MMAction2 ``VisionTransformer`` config matching a converted
    VideoMAE state dict (ViT-S/B/L/H by width; clip size from the caller,
    since neither release stores it).

    Raises:
        KeyError: naming the width if it is not one of VideoMAE's ViTs.
    """
    proj = state['patch_embed.projection.weight']
    dims, _, tubelet, patch, _ = proj.shape
    heads = {384: 6, 768: 12, 1024: 16, 1280: 16}
    if dims not in heads:
        raise KeyError(f'embedding width {dims} is not a VideoMAE ViT '
                       f'(known: {sorted(heads)})')
    depth = 1 + max(int(k.split('.')[1]) for k in state
                    if k.startswith('blocks.'))
    mlp_ratio = state['blocks.0.mlp.layers.0.0.weight'].shape[0] / dims
    return dict(
        type='VisionTransformer', img_size=img_size, patch_size=int(patch),
        embed_dims=int(dims), depth=depth, num_heads=heads[dims],
        mlp_ratio=mlp_ratio, qkv_bias='blocks.0.attn.q_bias' in state,
        num_frames=num_frames, tubelet_size=int(tubelet),
        norm_cfg=dict(type='LN', eps=1e-6))
