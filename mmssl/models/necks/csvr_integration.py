"""CSVR's feature integration layer (Sec. III-D, Fig. 2, Eq. 3-5)."""
import torch
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmssl.registry import MODELS

INTEGRATION_MODES = ('full', 'adain', 'concat', 'fs_only', 'fd_only')


@MODELS.register_module()
class CSVRIntegration(BaseModule):
    """Fuse the dynamic motion feature ``f_d`` into the static context
    feature ``f_s``.

    ``mode='full'`` (Fig. 2)::

        f_s_bar = BN(f_s)                       (Eq. 3, batch statistics)
        D       = gamma_d(f_d) * f_s_bar + beta_d(f_d)       (Eq. 4)
        M       = sigmoid(conv_m(f_s_bar))
        f_i     = (1 - M) * D + M * f_s                      (Eq. 5)

    ``gamma_d``, ``beta_d`` and ``conv_m`` are pointwise convolutions
    (kernel 1) over the channel axis, so ``f_s`` and ``f_d`` may be vectors
    ``(B, C)`` (CSVR's ``f_s in R^C``) or maps ``(B, C, *S)`` of one shape.
    The BN has no affine parameters (the denormalisation supplies them).

    Other modes (Table I ablation; see docs/methods/csvr.md):

    - ``'adain'``: ``f_i = D`` (AdaIN without the attention mask);
    - ``'concat'``: ``f_i = conv([f_s, f_d])`` (the paper's "directly
      concatenate f_d and f_s, followed by convolution");
    - ``'fs_only'``: ``f_i = f_s``; ``'fd_only'``: ``f_i = f_d``.

    Args:
        channels (int): ``C`` of ``f_s`` and ``f_d``.
        mode (str): One of ``INTEGRATION_MODES``. Defaults to ``'full'``.
    """

    def __init__(self, channels: int, mode: str = 'full',
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        if mode not in INTEGRATION_MODES:
            raise ValueError(f'CSVRIntegration: mode {mode!r} is not one of '
                             f'{INTEGRATION_MODES}')
        self.channels = channels
        self.mode = mode
        if mode in ('full', 'adain'):
            self.norm = nn.BatchNorm1d(channels, affine=False)
            self.gamma = nn.Conv1d(channels, channels, 1)
            self.beta = nn.Conv1d(channels, channels, 1)
        if mode == 'full':
            self.mask = nn.Conv1d(channels, channels, 1)
        if mode == 'concat':
            self.fuse = nn.Conv1d(2 * channels, channels, 1)

    def forward(self, f_s: Tensor, f_d: Tensor,
                return_mask: bool = False):
        """Integrated feature ``f_i`` (shape of ``f_s``).

        Args:
            f_s (Tensor): ``(B, C)`` or ``(B, C, *S)``.
            f_d (Tensor): Same shape.
            return_mask (bool): Also return ``M`` (``'full'`` only; None
                otherwise).

        Returns:
            Tensor or tuple[Tensor, Tensor | None].
        """
        if f_s.shape != f_d.shape or f_s.shape[1] != self.channels:
            raise ValueError(
                f'CSVRIntegration expects f_s and f_d of one shape (B, '
                f'{self.channels}, ...), got {tuple(f_s.shape)} and '
                f'{tuple(f_d.shape)}')
        shape = f_s.shape
        s = f_s.reshape(shape[0], shape[1], -1)
        d = f_d.reshape(shape[0], shape[1], -1)
        mask = None
        if self.mode == 'fs_only':
            out = s
        elif self.mode == 'fd_only':
            out = d
        elif self.mode == 'concat':
            out = self.fuse(torch.cat([s, d], 1))
        else:
            s_bar = self.norm(s)
            out = self.gamma(d) * s_bar + self.beta(d)
            if self.mode == 'full':
                mask = torch.sigmoid(self.mask(s_bar))
                out = (1 - mask) * out + mask * s
                mask = mask.reshape(shape)
        out = out.reshape(shape)
        return (out, mask) if return_mask else out
