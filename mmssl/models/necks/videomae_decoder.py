"""VideoMAE's light transformer decoder."""
from typing import Dict, List, Optional, Union

import torch
from mmaction.models.backbones.vit_mae import Block, get_sinusoid_encoding
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule, ModuleList
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor, nn

from mmssl.models.utils.video_patches import gather_tokens
from mmssl.registry import MODELS


@MODELS.register_module()
class VideoMAEDecoder(BaseModule):
    """Reconstruct masked cubes from the visible tokens' encodings.

    Tong et al., "VideoMAE: Masked Autoencoders are Data-Efficient Learners
    for Self-Supervised Video Pre-Training", NeurIPS 2022, Sec. 3.3 and
    Table 1a (decoder depth 4): the encoder output of the visible tokens is
    layer-normalised and projected to the decoder width; a shared learnable
    mask token stands in for every masked cube; fixed sinusoidal positional
    embeddings are added to both; ``depth`` transformer blocks (MMAction2's
    ViT ``Block``) run over all ``N`` tokens, and a final norm and linear
    layer predict the ``tubelet * patch * patch * C`` pixels of the masked
    tokens only.

    The layer norm that ends the authors' pre-training encoder
    (``encoder.norm``) lives here as ``encoder_norm``: the backbone then
    keeps exactly MMAction2's ``VisionTransformer`` keys (its mean-pooling
    ``fc_norm`` is a fine-tuning module; the authors' fine-tuning also
    starts it fresh and drops ``encoder.norm``).

    Args:
        in_channels (int): Encoder width ``D_enc``.
        num_patches (int): Tokens per clip ``N = T' * H' * W'``.
        out_channels (int): Predicted values per token,
            ``tubelet_size * patch_size ** 2 * 3``.
        embed_dims (int): Decoder width. Defaults to 384 (ViT-B setting of
            the authors' code: half the encoder width).
        depth (int): Decoder blocks. Defaults to 4 (Table 1a).
        num_heads (int): Defaults to 6.
        mlp_ratio (float): Defaults to 4.
        qkv_bias (bool): Defaults to True.
        drop_path_rate (float): Defaults to 0.
        norm_cfg (dict): Defaults to ``LN`` with ``eps=1e-6``.
        init_cfg (dict | list[dict], optional): Defaults to Xavier-uniform
            linear layers and unit layer norms (authors' code).
    """

    def __init__(self,
                 in_channels: int,
                 num_patches: int,
                 out_channels: int,
                 embed_dims: int = 384,
                 depth: int = 4,
                 num_heads: int = 6,
                 mlp_ratio: float = 4.,
                 qkv_bias: bool = True,
                 drop_path_rate: float = 0.,
                 norm_cfg: Dict = dict(type='LN', eps=1e-6),
                 init_cfg: Optional[Union[Dict, List[Dict]]] = [
                     dict(
                         type='Xavier',
                         layer='Linear',
                         distribution='uniform'),
                     dict(type='Constant', layer='LayerNorm', val=1., bias=0.)
                 ]) -> None:
        super().__init__(init_cfg=init_cfg)
        if embed_dims % num_heads:
            raise ValueError(f'embed_dims={embed_dims} is not divisible by '
                             f'num_heads={num_heads}')
        self.num_patches = num_patches
        self.encoder_norm = build_norm_layer(norm_cfg, in_channels)[1]
        self.encoder_to_decoder = nn.Linear(
            in_channels, embed_dims, bias=False)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, embed_dims))
        self.register_buffer(
            'pos_embed',
            get_sinusoid_encoding(num_patches, embed_dims),
            persistent=False)
        rates = torch.linspace(0, drop_path_rate, depth).tolist()
        self.blocks = ModuleList([
            Block(
                embed_dims=embed_dims,
                num_heads=num_heads,
                mlp_ratio=mlp_ratio,
                qkv_bias=qkv_bias,
                drop_path_rate=rate,
                norm_cfg=norm_cfg) for rate in rates
        ])
        self.norm = build_norm_layer(norm_cfg, embed_dims)[1]
        self.head = nn.Linear(embed_dims, out_channels)

    def init_weights(self) -> None:
        """Config-driven init, then the mask token ~ N(0, 0.02) truncated."""
        super().init_weights()
        trunc_normal_(self.mask_token, std=.02)

    def forward(self, visible: Tensor, mask: Tensor) -> Tensor:
        """Predict the pixels of the masked tokens.

        Args:
            visible (Tensor): ``(B, N_vis, D_enc)`` encoder output of the
                visible tokens, in token order.
            mask (Tensor): bool ``(B, N)``, ``True`` = masked.

        Returns:
            Tensor: ``(B, N_mask, out_channels)`` in token order.
        """
        if mask.dim() != 2 or mask.shape[1] != self.num_patches:
            raise ValueError(f'mask {tuple(mask.shape)} does not match '
                             f'num_patches={self.num_patches}')
        mask = mask.bool()
        x_vis = self.encoder_to_decoder(self.encoder_norm(visible))
        pos = self.pos_embed.to(x_vis.dtype).expand(mask.shape[0], -1, -1)
        pos_vis = gather_tokens(pos, mask, keep=False)
        pos_mask = gather_tokens(pos, mask, keep=True)
        if pos_vis.shape[1] != x_vis.shape[1]:
            raise ValueError(f'{x_vis.shape[1]} visible tokens but the mask '
                             f'leaves {pos_vis.shape[1]} visible')
        # the decoder is permutation-equivariant: visible tokens first, then
        # the mask tokens, each carrying its own position
        x = torch.cat([x_vis + pos_vis, self.mask_token + pos_mask], dim=1)
        for block in self.blocks:
            x = block(x)
        num_masked = pos_mask.shape[1]
        return self.head(self.norm(x[:, x.shape[1] - num_masked:]))
