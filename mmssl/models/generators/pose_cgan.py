"""1D-CNN pose CGAN of CSVR's generative pose prediction branch (III-B)."""
from typing import List, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmssl.registry import MODELS


def _conv1d_block(cin: int, cout: int, stride: int, norm: bool) -> nn.Module:
    layers = [nn.Conv1d(cin, cout, 3, stride, 1, bias=not norm)]
    if norm:
        layers.append(nn.BatchNorm1d(cout))
    layers.append(nn.LeakyReLU(0.2, inplace=True))
    return nn.Sequential(*layers)


def flatten_poses(poses: Tensor) -> Tensor:
    """``(B, T, J, 2)`` poses -> ``(B, 2J, T)``, the 1D-CNN layout (the
    paper's ``p_t in R^{2N}`` per frame, convolved along time)."""
    if poses.dim() != 4 or poses.shape[-1] != 2:
        raise ValueError(f'expected poses (B, T, J, 2), got '
                         f'{tuple(poses.shape)}')
    return poses.flatten(2).transpose(1, 2)


@MODELS.register_module()
class PoseGenerator1D(BaseModule):
    """Conditional pose generator ``G_p(z_p | P_in)`` (CSVR Sec. III-B).

    The paper gives a 1D-CNN encoder-decoder that outputs all ``T'`` future
    poses at once, and takes ``f_d`` from the last encoder layer (Table
    III: layers 2 / 4 / 6, six layers). The layout here is ours:

    - encoder: ``len(encoder_channels)`` ``Conv1d(k=3)`` + BN + LeakyReLU
      layers over time on ``(B, 2J, T)``; ``encoder_strides`` halve time;
    - noise ``z_p ~ N(0, I)`` (``noise_dim``) broadcast over the encoder's
      time axis and concatenated;
    - decoder: linear time resampling to ``T'`` then
      ``len(decoder_channels)`` conv blocks and a ``Conv1d`` to ``2J``;
      with ``residual=True`` the output is an offset from the last observed
      pose (a standard pose-forecasting parameterisation; not stated by
      CSVR).

    Args:
        num_joints (int): ``J`` (17, COCO).
        out_frames (int): ``T'``.
        noise_dim (int): ``z_p`` size. Defaults to 16.
        encoder_channels (Sequence[int]): Defaults to six layers
            ``(64, 64, 128, 128, 256, 256)``.
        encoder_strides (Sequence[int]): Defaults to ``(1, 1, 2, 1, 2, 1)``.
        decoder_channels (Sequence[int]): Defaults to ``(256, 128, 64)``.
        residual (bool): Predict offsets from the last input pose.
    """

    def __init__(self,
                 num_joints: int = 17,
                 out_frames: int = 16,
                 noise_dim: int = 16,
                 encoder_channels: Sequence[int] = (64, 64, 128, 128, 256,
                                                    256),
                 encoder_strides: Sequence[int] = (1, 1, 2, 1, 2, 1),
                 decoder_channels: Sequence[int] = (256, 128, 64),
                 residual: bool = True,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(encoder_channels) != len(encoder_strides):
            raise ValueError('encoder_channels and encoder_strides differ '
                             'in length')
        self.num_joints = num_joints
        self.out_frames = out_frames
        self.noise_dim = noise_dim
        self.residual = residual
        self.feature_channels = encoder_channels[-1]
        cin = 2 * num_joints
        self.encoder = nn.ModuleList()
        for cout, stride in zip(encoder_channels, encoder_strides):
            self.encoder.append(_conv1d_block(cin, cout, stride, True))
            cin = cout
        cin += noise_dim
        decoder = []
        for cout in decoder_channels:
            decoder.append(_conv1d_block(cin, cout, 1, True))
            cin = cout
        decoder.append(nn.Conv1d(cin, 2 * num_joints, 3, 1, 1))
        self.decoder = nn.Sequential(*decoder)

    def encode(self, pose_in: Tensor) -> List[Tensor]:
        """Every encoder layer's output ``(B, C_l, T_l)`` for ``P_in``
        ``(B, T, J, 2)``; the last one is the source of ``f_d``."""
        x = flatten_poses(pose_in)
        feats = []
        for layer in self.encoder:
            x = layer(x)
            feats.append(x)
        return feats

    def forward(self, pose_in: Tensor,
                noise: Tensor = None) -> Tuple[Tensor, List[Tensor]]:
        """Predict ``P_gen``.

        Args:
            pose_in (Tensor): ``(B, T, J, 2)`` observed poses.
            noise (Tensor, optional): ``(B, noise_dim)``; drawn if None.

        Returns:
            tuple: ``P_gen`` ``(B, T', J, 2)`` and the encoder features
            (:meth:`encode`).
        """
        feats = self.encode(pose_in)
        h = feats[-1]
        b = h.shape[0]
        if noise is None:
            noise = torch.randn(b, self.noise_dim, device=h.device,
                                dtype=h.dtype)
        h = torch.cat([h, noise[:, :, None].expand(-1, -1, h.shape[2])], 1)
        h = F.interpolate(h, size=self.out_frames, mode='linear',
                          align_corners=False)
        out = self.decoder(h).transpose(1, 2).reshape(
            b, self.out_frames, self.num_joints, 2)
        if self.residual:
            out = out + pose_in[:, -1:]
        return out, feats


@MODELS.register_module()
class PoseDiscriminator1D(BaseModule):
    """Conditional pose discriminator ``D_p(P | P_in)`` (CSVR III-B).

    Scores the whole sequence ``[P_in, P]`` (observed then future poses,
    ``(B, 2J, T + T')``) with ``Conv1d(k=3)`` + LeakyReLU layers (no batch
    norm: WGAN-GP's penalty and OSGAN's per-sample gradient decomposition
    need samples scored independently), global average pooling over time
    and a linear layer to one logit.

    Args:
        num_joints (int): ``J``.
        channels (Sequence[int]): Defaults to ``(64, 128, 256)``.
        strides (Sequence[int]): Defaults to ``(1, 2, 2)``.
    """

    def __init__(self,
                 num_joints: int = 17,
                 channels: Sequence[int] = (64, 128, 256),
                 strides: Sequence[int] = (1, 2, 2),
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        layers, cin = [], 2 * num_joints
        for cout, stride in zip(channels, strides):
            layers.append(_conv1d_block(cin, cout, stride, False))
            cin = cout
        self.body = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, 1)

    def forward(self, poses: Tensor, pose_in: Tensor) -> Tensor:
        """Logits ``(B,)`` of future poses ``(B, T', J, 2)`` given
        ``P_in`` ``(B, T, J, 2)``."""
        x = torch.cat([flatten_poses(pose_in), flatten_poses(poses)], 2)
        return self.fc(self.body(x).mean(2)).squeeze(1)


@MODELS.register_module()
class DynamicFeatureNeck(BaseModule):
    """Aligns ``G_p``'s last encoder feature with ``f_s`` (CSVR III-B: "we
    add convolutional layers and MLPs after the last layer in encoder of
    G_p to keep the dimension of f_d align with f_s").

    ``Conv1d(k=3)`` + BN + ReLU, temporal average pooling, two-layer MLP:
    ``(B, C_enc, T_enc) -> (B, out_channels)``.

    Args:
        in_channels (int): ``C_enc``.
        out_channels (int): Size of ``f_s``.
        hidden_channels (int): Defaults to 256.
    """

    def __init__(self, in_channels: int, out_channels: int = 128,
                 hidden_channels: int = 256, init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.conv = nn.Sequential(
            nn.Conv1d(in_channels, hidden_channels, 3, 1, 1, bias=False),
            nn.BatchNorm1d(hidden_channels), nn.ReLU(inplace=True))
        self.mlp = nn.Sequential(
            nn.Linear(hidden_channels, hidden_channels),
            nn.ReLU(inplace=True), nn.Linear(hidden_channels, out_channels))

    def forward(self, feat: Tensor) -> Tensor:
        """``(B, C_enc, T_enc)`` -> ``f_d`` ``(B, out_channels)``."""
        return self.mlp(self.conv(feat).mean(2))
