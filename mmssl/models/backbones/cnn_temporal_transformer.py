"""Per-frame 2D CNN + temporal transformer encoder (Jeyaprabhavathi, 3.3)."""
from typing import Dict, List, Optional, Tuple, Union

from mmaction.models.backbones.vit_mae import get_sinusoid_encoding
from mmengine.model.weight_init import constant_init, trunc_normal_init
import torch.nn.functional as F
from torch import Tensor, nn

from mmssl.registry import MODELS
from .base_backbone import BaseBackbone3D


@MODELS.register_module()
class CNNTemporalTransformer(BaseBackbone3D):
    """``Z = Transformer(CNN(X))``: one contextual embedding per frame.

    Jeyaprabhavathi, "Self-supervised multi-modal video feature
    representation learning for scalable action recognition in unlabeled
    visual datasets", Sec. 3.3 and Table 3: a 2D CNN turns each frame into a
    spatial feature map (``14 x 14 x 1024`` for 224 px frames), the map is
    pooled to one embedding per frame and a transformer over time relates
    the frames (``64 x 1024`` for 64 frames).

    Stages of :meth:`forward`, for clips ``(N, C, T, H, W)``:

    1. :meth:`frame_feature_maps`: the CNN (any 2D backbone config, e.g.
       MMAction2's ``ResNet(depth=50, num_stages=3, out_indices=(2, ))`` or
       the tiny :class:`FrameConvStem`) on all ``N * T`` frames:
       ``(N * T, C_cnn, h, w)``. This pre-pooling map is what the masked
       reconstruction decoder reads.
    2. :meth:`frame_embeddings`: average pool to ``spatial_pool_size``
       (default ``(1, 1)``: global), flatten and a linear map to
       ``embed_dims`` (identity when the sizes agree): ``(N, T, D)``. A
       global average is nearly blind to where things are, so a
       translating object gives almost the same embedding in every frame;
       a small grid (e.g. ``(2, 2)``) keeps coarse position (see
       docs/methods/multitask_ssl.md).
    3. :meth:`temporal`: fixed sinusoidal positional encoding over time
       (any ``T``, so a probe or fine-tune may use other clip lengths),
       ``depth`` pre-norm transformer layers, final LayerNorm:
       ``(N, T, D)``.

    The output follows the house convention of a 5-D map,
    ``(N, D, T, 1, 1)``, so MMAction2's ``Recognizer3D`` / ``I3DHead``, the
    frozen probe and the SSL algorithms' pooling use it unchanged. Because
    the CNN sees frames independently, shuffling or reversing the frame
    embeddings before :meth:`temporal` equals shuffling or reversing the
    input frames (used by :class:`MultiTaskSSL` to run the temporal tasks
    without extra CNN passes).

    Args:
        cnn (dict): 2D CNN config; it must map ``(B, C, H, W)`` to one map
            ``(B, C_cnn, h, w)`` (a tuple's last element is used).
        cnn_channels (int, optional): ``C_cnn``; ``None`` reads the CNN's
            ``out_channels`` attribute.
        embed_dims (int): Transformer width ``D``. Defaults to 256.
        depth (int): Transformer layers. Defaults to 2.
        num_heads (int): Attention heads. Defaults to 4.
        mlp_ratio (float): Feed-forward width / ``D``. Defaults to 4.
        dropout (float): Dropout in the transformer layers. Defaults to 0.1.
        spatial_pool_size (tuple[int, int]): Grid the CNN map is averaged
            to before the linear map. Defaults to ``(1, 1)``.
        frozen_stages (int): ``0`` freezes the CNN, ``1`` everything.
            Defaults to -1.
        norm_eval (bool): Keep BN layers in eval mode. Defaults to False.
        init_cfg (dict | list[dict], optional): e.g. ``Pretrained``.
    """

    def __init__(self,
                 cnn: dict,
                 cnn_channels: Optional[int] = None,
                 embed_dims: int = 256,
                 depth: int = 2,
                 num_heads: int = 4,
                 mlp_ratio: float = 4.,
                 dropout: float = 0.1,
                 spatial_pool_size: Tuple[int, int] = (1, 1),
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(frozen_stages, norm_eval, init_cfg)
        if embed_dims % num_heads:
            raise ValueError(f'embed_dims={embed_dims} is not divisible by '
                             f'num_heads={num_heads}')
        self.cnn = MODELS.build(cnn)
        if cnn_channels is None:
            cnn_channels = getattr(self.cnn, 'out_channels', None)
            if not isinstance(cnn_channels, int):
                raise ValueError(
                    f'{type(self.cnn).__name__} has no int out_channels; set '
                    'cnn_channels in the CNNTemporalTransformer config')
        self.cnn_channels = int(cnn_channels)
        self.embed_dims = self.out_channels = int(embed_dims)
        self.spatial_pool_size = tuple(int(s) for s in spatial_pool_size)
        pooled = self.cnn_channels * self.spatial_pool_size[0] * \
            self.spatial_pool_size[1]
        self.frame_proj = (nn.Identity() if pooled == embed_dims else
                           nn.Linear(pooled, embed_dims))
        layer = nn.TransformerEncoderLayer(
            embed_dims, num_heads, int(embed_dims * mlp_ratio), dropout,
            activation='gelu', batch_first=True, norm_first=True)
        self.transformer = nn.TransformerEncoder(
            layer, depth, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(embed_dims)
        self.stage_names = [('cnn', ), ('frame_proj', 'transformer', 'norm')]
        self._check_frozen_stages()

    def init_weights(self) -> None:
        """CNN: its own init (Kaiming / pretrained); transformer layers:
        truncated normal (std 0.02) linear weights, zero biases, unit
        LayerNorms (ViT convention). ``init_cfg`` overrides everything."""
        if self.init_cfg is not None:
            super().init_weights()
            return
        if hasattr(self.cnn, 'init_weights'):
            self.cnn.init_weights()
        for name, m in self.named_modules():
            if name.startswith('cnn'):
                continue
            if isinstance(m, nn.Linear):
                trunc_normal_init(m, std=0.02, bias=0.)
            elif isinstance(m, nn.LayerNorm):
                constant_init(m, 1., bias=0.)
        # nn.MultiheadAttention keeps its input projection as a parameter
        for m in self.transformer.modules():
            if isinstance(m, nn.MultiheadAttention):
                nn.init.trunc_normal_(m.in_proj_weight, std=0.02)
                nn.init.zeros_(m.in_proj_bias)

    def frame_feature_maps(self, clips: Tensor) -> Tensor:
        """Per-frame CNN maps.

        Args:
            clips (Tensor): ``(N, C, T, H, W)``.

        Returns:
            Tensor: ``(N * T, C_cnn, h, w)``, frame-major within a clip
            (row ``n * T + t``).
        """
        if clips.dim() != 5:
            raise ValueError('CNNTemporalTransformer expects (N, C, T, H, W) '
                             f'clips, got {tuple(clips.shape)}')
        frames = clips.transpose(1, 2).flatten(0, 1)
        maps = self.cnn(frames)
        if isinstance(maps, (tuple, list)):
            maps = maps[-1]
        if maps.dim() != 4 or maps.shape[1] != self.cnn_channels:
            raise ValueError(f'the CNN returned {tuple(maps.shape)}; expected '
                             f'(N*T, cnn_channels={self.cnn_channels}, h, w)')
        return maps

    def frame_embeddings(self, maps: Tensor, num_clips: int) -> Tensor:
        """Spatially pooled, projected frame embeddings ``(N, T, D)`` of
        maps ``(N * T, C_cnn, h, w)``."""
        pooled = self.frame_proj(
            F.adaptive_avg_pool2d(maps, self.spatial_pool_size).flatten(1))
        return pooled.view(num_clips, -1, self.embed_dims)

    def temporal(self, embeddings: Tensor) -> Tensor:
        """Contextual embeddings ``(N, T, D)`` of frame embeddings
        ``(N, T, D)`` (positional encoding by position in the sequence)."""
        pos = get_sinusoid_encoding(embeddings.shape[1], self.embed_dims)
        x = embeddings + pos.to(embeddings.device, embeddings.dtype)
        return self.norm(self.transformer(x))

    def encode(self, clips: Tensor) -> Dict[str, Tensor]:
        """All intermediate results of one pass: ``maps``
        ``(N * T, C_cnn, h, w)``, ``frames`` ``(N, T, D)`` (before the
        transformer) and ``context`` ``(N, T, D)`` (its output)."""
        maps = self.frame_feature_maps(clips)
        frames = self.frame_embeddings(maps, clips.shape[0])
        return dict(maps=maps, frames=frames, context=self.temporal(frames))

    def forward(self, clips: Tensor) -> Tensor:
        """``(N, C, T, H, W)`` -> ``(N, D, T, 1, 1)``."""
        context = self.encode(clips)['context']
        return context.transpose(1, 2)[..., None, None]

