"""Per-frame 2D CNN + temporal transformer encoder (Jeyaprabhavathi, 3.3)."""
from typing import Dict, List, Optional, Tuple, Union

from mmaction.models.backbones.vit_mae import get_sinusoid_encoding
from mmengine.model.weight_init import constant_init, trunc_normal_init
import torch.nn.functional as F
from torch import Tensor, nn

from mmssl.registry import MODELS
from .base_backbone import BaseBackbone3D
from .temporal_conv_stem import TemporalConvStem  # noqa: F401 (registers)


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

    1. :meth:`frame_feature_maps`: the optional 3D ``stem`` (e.g.
       :class:`TemporalConvStem`) on the whole clip, keeping ``T``, then the
       CNN (any 2D backbone config, e.g. MMAction2's
       ``ResNet(depth=50, num_stages=3, out_indices=(2, ))`` or the tiny
       :class:`FrameConvStem`) on all ``N * T`` frames:
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
    frozen probe and the SSL algorithms' pooling use it unchanged. Without
    a stem (or with a stem of temporal kernel 1) the CNN sees frames
    independently (``frame_independent``): shuffling or reversing the frame
    embeddings before :meth:`temporal` equals shuffling or reversing the
    input frames (used by :class:`MultiTaskSSL` to run the temporal tasks
    without extra CNN passes). A 3D stem breaks that equality: each frame
    embedding then sees ``temporal_receptive_field`` input frames.

    Args:
        cnn (dict): 2D CNN config; it must map ``(B, C, H, W)`` to one map
            ``(B, C_cnn, h, w)`` (a tuple's last element is used). With a
            ``stem`` and no ``in_channels`` key, ``in_channels`` is set to
            the stem's ``out_channels``.
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
        stem (dict, optional): 3D stem applied to the whole clip before the
            CNN; it must map ``(N, C, T, H, W)`` to ``(N, C_s, T, H', W')``
            and have an int ``out_channels``. ``None`` (default): none, the
            encoder is exactly the per-frame 2D one.
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
                 stem: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(frozen_stages, norm_eval, init_cfg)
        if embed_dims % num_heads:
            raise ValueError(f'embed_dims={embed_dims} is not divisible by '
                             f'num_heads={num_heads}')
        self.stem = MODELS.build(stem) if stem is not None else None
        self.cnn = MODELS.build(self._cnn_cfg(cnn, self.stem))
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
        self.stage_names = [('cnn', ) if self.stem is None else
                            ('stem', 'cnn'),
                            ('frame_proj', 'transformer', 'norm')]
        self._check_frozen_stages()

    @staticmethod
    def _cnn_cfg(cnn: dict, stem: Optional[nn.Module]) -> dict:
        """The CNN config, reading the stem's channels when one exists."""
        if stem is None:
            return cnn
        channels = getattr(stem, 'out_channels', None)
        if not isinstance(channels, int):
            raise ValueError(f'the stem {type(stem).__name__} has no int '
                             'out_channels')
        cnn = cnn.copy()
        if cnn.setdefault('in_channels', channels) != channels:
            raise ValueError(f'cnn.in_channels={cnn["in_channels"]} but the '
                             f'stem gives {channels} channels')
        return cnn

    @property
    def temporal_receptive_field(self) -> int:
        """Input frames that reach one frame embedding before the
        transformer: 1 without a stem, the stem's otherwise (0: the stem
        does not say, treated as not frame-independent)."""
        if self.stem is None:
            return 1
        return int(getattr(self.stem, 'temporal_receptive_field', 0))

    @property
    def frame_independent(self) -> bool:
        """Whether each frame embedding depends on its own frame only (so
        permuting embeddings equals permuting input frames)."""
        return self.temporal_receptive_field == 1

    def init_weights(self) -> None:
        """Stem, CNN: their own init (Kaiming / pretrained); transformer:
        truncated normal (std 0.02) linear weights, zero biases, unit
        LayerNorms (ViT convention). ``init_cfg`` overrides everything."""
        if self.init_cfg is not None:
            super().init_weights()
            return
        for cnn in (self.stem, self.cnn):
            if hasattr(cnn, 'init_weights'):
                cnn.init_weights()
        for name, m in self.named_modules():
            if name.startswith(('cnn', 'stem')):
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
        """Per-frame CNN maps (after the 3D stem, if any, on the clip).

        Args:
            clips (Tensor): ``(N, C, T, H, W)``.

        Returns:
            Tensor: ``(N * T, C_cnn, h, w)``, frame-major within a clip
            (row ``n * T + t``).
        """
        if clips.dim() != 5:
            raise ValueError('CNNTemporalTransformer expects (N, C, T, H, W) '
                             f'clips, got {tuple(clips.shape)}')
        if self.stem is not None:
            num_frames = clips.shape[2]
            clips = self.stem(clips)
            if clips.dim() != 5 or clips.shape[2] != num_frames:
                raise ValueError(f'the stem returned {tuple(clips.shape)}; '
                                 f'expected (N, C_s, T={num_frames}, h, w)')
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

