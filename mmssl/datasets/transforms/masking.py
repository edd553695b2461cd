"""Token masks for masked video modelling (VideoMAE tube masking)."""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmssl.registry import TRANSFORMS


def num_masked_per_frame(num_spatial: int, mask_ratio: float) -> int:
    """Masked spatial positions of one temporal slice of tokens.

    ``round(mask_ratio * num_spatial)``. The original VideoMAE code truncates
    (``int(...)``), which gives the same count for the paper's grids
    (e.g. 176 of 196 at ratio 0.9) but one less when the product lands just
    below an integer in floating point (``int(0.7 * 10) == 6``).

    Args:
        num_spatial (int): ``H' * W'`` token positions per temporal slice.
        mask_ratio (float): Fraction in ``[0, 1]``.

    Returns:
        int: Number of masked positions, in ``[0, num_spatial]``.
    """
    if not 0.0 <= mask_ratio <= 1.0:
        raise ValueError(f'mask_ratio must be in [0, 1], got {mask_ratio}')
    return int(round(mask_ratio * num_spatial))


def tube_mask(grid_size: Sequence[int],
              mask_ratio: float,
              batch_size: int = 1,
              rng: Optional[np.random.Generator] = None) -> np.ndarray:
    """Tube masks: one random spatial mask repeated over all time slices.

    Tong et al., "VideoMAE: Masked Autoencoders are Data-Efficient Learners
    for Self-Supervised Video Pre-Training", NeurIPS 2022, Sec. 3.3 (tube
    masking): every temporal slice of the ``(T', H', W')`` token grid masks
    the same ``round(mask_ratio * H' * W')`` spatial positions, so a masked
    cube cannot be recovered from the same place in a neighbouring frame.

    Vectorised over the batch: each row's masked positions are the first
    ``n`` entries of an independent random permutation (argsort of uniform
    noise).

    Args:
        grid_size (Sequence[int]): ``(T', H', W')`` token grid, i.e.
            ``(T // tubelet_size, H // patch_size, W // patch_size)``.
        mask_ratio (float): Fraction of spatial positions masked.
        batch_size (int): Number of independent masks ``B``.
        rng (np.random.Generator, optional): Random source. ``None`` uses
            NumPy's global state (``np.random.seed`` makes it reproducible,
            and MMEngine seeds it per dataloader worker).

    Returns:
        np.ndarray: Boolean ``(B, T' * H' * W')``, ``True`` = masked; token
        ``n`` is at ``(t, h, w)`` with ``n = (t * H' + h) * W' + w``, the
        order of MMAction2's ``VisionTransformer`` patch embedding.
    """
    if len(grid_size) != 3 or min(grid_size) < 1:
        raise ValueError('grid_size must be three positive ints (T\', H\', '
                         f'W\'), got {tuple(grid_size)}')
    if batch_size < 1:
        raise ValueError(f'batch_size must be >= 1, got {batch_size}')
    frames, height, width = (int(s) for s in grid_size)
    num_spatial = height * width
    num_masked = num_masked_per_frame(num_spatial, mask_ratio)
    noise = (rng.random((batch_size, num_spatial)) if rng is not None else
             np.random.random((batch_size, num_spatial)))
    order = np.argsort(noise, axis=1)
    spatial = np.zeros((batch_size, num_spatial), dtype=bool)
    np.put_along_axis(spatial, order[:, :num_masked], True, axis=1)
    return np.tile(spatial, (1, frames))


@TRANSFORMS.register_module()
class TubeMaskGenerator(BaseTransform):
    """Data transform writing VideoMAE tube masks (see :func:`tube_mask`).

    Tong et al., "VideoMAE", NeurIPS 2022, Sec. 3.3. Generating the mask in
    the data pipeline follows the authors' implementation (the mask comes
    with the clip from the dataset) and keeps the model deterministic given
    its inputs.

    Required Keys:

        - num_clips (optional, default 1): one mask per clip.

    Added Keys:

        - mask (np.ndarray): bool ``(num_clips, T' * H' * W')``; pack it with
          ``PackSSLInputs(target_keys=('mask', ))``. The algorithm checks
          that its length matches the clip's token count.

    Args:
        input_size (Sequence[int]): ``(T', H', W')`` token grid of one clip,
            e.g. ``(8, 14, 14)`` for 16x224x224 clips, tubelet 2, patch 16.
        mask_ratio (float): Fraction of spatial positions masked per
            temporal slice. Defaults to 0.9 (VideoMAE, Sec. 3.3 and the
            masking-ratio ablation of Sec. 4.2).
    """

    def __init__(self,
                 input_size: Sequence[int],
                 mask_ratio: float = 0.9) -> None:
        if len(input_size) != 3 or min(input_size) < 1:
            raise ValueError('input_size must be the (T\', H\', W\') token '
                             f'grid, got {tuple(input_size)}')
        self.input_size: Tuple[int, int, int] = tuple(
            int(s) for s in input_size)
        self.mask_ratio = float(mask_ratio)
        frames, height, width = self.input_size
        self.num_masked_per_frame = num_masked_per_frame(
            height * width, self.mask_ratio)
        self.num_tokens = frames * height * width

    def generate(self,
                 batch_size: int = 1,
                 rng: Optional[np.random.Generator] = None) -> np.ndarray:
        """``(batch_size, N)`` boolean tube masks (``True`` = masked)."""
        return tube_mask(self.input_size, self.mask_ratio, batch_size, rng)

    def transform(self, results: Dict) -> Dict:
        """Add ``mask`` of shape ``(num_clips, N)``."""
        num_clips = int(results.get('num_clips', 1))
        results['mask'] = self.generate(num_clips)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(input_size={self.input_size}, '
                f'mask_ratio={self.mask_ratio})')
