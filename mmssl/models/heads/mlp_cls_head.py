"""Two-layer classification head for supervised fine-tuning."""
from typing import Optional

import torch
from mmaction.models.heads.base import BaseHead
from mmengine.model.weight_init import normal_init
from torch import Tensor, nn

from mmssl.registry import MODELS


@MODELS.register_module()
class MLPClsHead(BaseHead):
    """Pool -> FC -> ReLU -> Dropout -> FC classification head.

    STCLR (Altabrawee & Mohd Noor, Neurocomputing), Sec. 4.2.2: "a
    classification head that has two fully connected layers with a dropout
    layer in between", dropout rate 0.9. The hidden width is not given in the
    paper; it defaults to ``in_channels`` (512 for R3D-18).

    Everything else (loss, ``average_clips`` over test views, predictions)
    is MMAction2's :class:`BaseHead`, so it plugs into ``Recognizer3D``.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Channels C of the backbone output.
        hidden_channels (int, optional): Width of the first FC layer.
            Defaults to ``in_channels``.
        dropout_ratio (float): Dropout between the two FC layers.
        spatial_type (str | None): ``'avg'`` pools (N, C, T, H, W) to (N, C);
            ``None`` expects already pooled (N, C) features.
        init_std (float): Std of the normal init of both FC layers.
        **kwargs: ``loss_cls``, ``average_clips``, ... of :class:`BaseHead`.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 hidden_channels: Optional[int] = None,
                 dropout_ratio: float = 0.9,
                 spatial_type: Optional[str] = 'avg',
                 init_std: float = 0.01,
                 **kwargs) -> None:
        super().__init__(num_classes, in_channels, **kwargs)
        if spatial_type not in ('avg', None):
            raise ValueError(
                f"MLPClsHead: spatial_type must be 'avg' or None, got "
                f'{spatial_type!r}')
        if not 0 <= dropout_ratio < 1:
            raise ValueError(f'MLPClsHead: dropout_ratio must be in [0, 1), '
                             f'got {dropout_ratio}')
        self.hidden_channels = hidden_channels or in_channels
        self.spatial_type = spatial_type
        self.init_std = init_std
        self.fc_hidden = nn.Linear(in_channels, self.hidden_channels)
        self.relu = nn.ReLU(inplace=True)
        self.dropout = nn.Dropout(p=dropout_ratio)
        self.fc_cls = nn.Linear(self.hidden_channels, num_classes)

    def init_weights(self) -> None:
        """Normal init of both FC layers (as MMAction2's I3DHead)."""
        normal_init(self.fc_hidden, std=self.init_std)
        normal_init(self.fc_cls, std=self.init_std)

    def forward(self, x: Tensor, **kwargs) -> Tensor:
        """Class scores.

        Args:
            x (Tensor): (N, C, T, H, W) backbone features, or (N, C).

        Returns:
            Tensor: (N, num_classes) logits.
        """
        if self.spatial_type == 'avg' and x.dim() > 2:
            x = torch.flatten(x, 2).mean(dim=2)
        x = x.view(x.shape[0], -1)
        x = self.dropout(self.relu(self.fc_hidden(x)))
        return self.fc_cls(x)
