"""Packing of multi-clip samples and pretext targets."""
from typing import Dict, Sequence

import numpy as np
import torch
from mmaction.structures import ActionDataSample
from mmcv.transforms import BaseTransform, to_tensor

from mmssl.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackSSLInputs(BaseTransform):
    """Pack clips into ``inputs`` and pretext targets into the data sample.

    After ``FormatShape('NCTHW')`` the clips are ``(V, C, T, H, W)``; the
    data preprocessor stacks them into ``(B, V, C, T, H, W)``.

    Required Keys:

        - imgs
        - every key of ``target_keys``

    Added Keys:

        - inputs (torch.Tensor): ``(V, C, T, H, W)``
        - data_samples (ActionDataSample): ``gt_labels`` from ``label`` (used
          only for evaluation), one tensor field per target key, and
          ``meta_keys`` in the metainfo.

    Args:
        target_keys (Sequence[str]): Pretext targets to pack as tensor
            fields (e.g. ``('order_label',)`` for VCOP).
        meta_keys (Sequence[str]): Keys copied to the metainfo when present.
    """

    def __init__(self,
                 target_keys: Sequence[str] = (),
                 meta_keys: Sequence[str] = ('filename', 'num_clips',
                                             'clip_len', 'img_shape',
                                             'retrieval_split')) -> None:
        self.target_keys = tuple(target_keys)
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: Dict) -> Dict:
        """Pack one sample."""
        if 'imgs' not in results:
            raise KeyError('PackSSLInputs needs "imgs"; is a decode/format '
                           'transform missing from the pipeline?')
        data_sample = ActionDataSample()
        label = results.get('label', -1)
        data_sample.set_gt_labels(label)
        for key in self.target_keys:
            if key not in results:
                raise KeyError(
                    f'pretext target "{key}" missing for '
                    f'{results.get("filename")}; the sampler should add it')
            value = results[key]
            if isinstance(value, (int, np.integer)):
                value = torch.tensor(int(value), dtype=torch.long)
            else:
                value = to_tensor(np.asarray(value) if not isinstance(
                    value, torch.Tensor) else value)
            data_sample.set_field(value, key)
        data_sample.set_metainfo(
            {k: results[k]
             for k in self.meta_keys if k in results})
        return dict(inputs=to_tensor(results['imgs']), data_samples=data_sample)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(target_keys={self.target_keys}, '
                f'meta_keys={self.meta_keys})')
