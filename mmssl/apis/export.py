"""Export a (pre)trained video encoder to TorchScript and ONNX, and check it.

The exported module is the encoder of an mmssl model: backbone + the
global average pooling the protocols use (:meth:`BaseSSLAlgorithm.
pooled_features`), one clip ``(B, C, T, H, W)`` in, its embedding ``(B, D)``
out. With ``include_normalization`` it also applies the config's
``ActionDataPreprocessor`` normalisation (and BGR->RGB if ``to_rgb``), so it
takes raw float pixel values 0..255; otherwise it takes the normalised clip.

ONNX: the TorchScript-based exporter of ``torch.onnx.export(dynamo=False)``
at opset :data:`DEFAULT_OPSET` (17: every operator the 3D CNNs and ViTs here
use, LayerNormalization included, and supported by onnxruntime >= 1.17).
The batch axis is always dynamic; the time axis (and height / width) is
dynamic where the architecture allows it, which is checked rather than
assumed (:func:`supports_other_clip_shape`): CNNs with adaptive pooling do,
ViTs with a fixed positional embedding table do not.
"""
import copy
import warnings
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn as nn

__all__ = [
    'DEFAULT_OPSET', 'ClipEncoder', 'supports_other_clip_shape',
    'export_torchscript', 'export_onnx', 'compare_outputs', 'onnx_runner'
]

DEFAULT_OPSET = 17


class ClipEncoder(nn.Module):
    """Backbone + global pooling of an mmssl model, for export.

    Args:
        model (nn.Module): An mmssl algorithm (its ``pooled_features``), or
            a model with a ``backbone`` giving ``(B, C, T', H', W')`` (e.g.
            MMAction2's ``Recognizer3D``: average over ``T', H', W'``).
        include_normalization (bool): Fold the data preprocessor's
            ``mean`` / ``std`` (and ``to_rgb``) into the module.

    Raises:
        ValueError: ``include_normalization`` with a data preprocessor
            that is not a plain mean/std normaliser (e.g. residual frames).
    """

    def __init__(self, model: nn.Module,
                 include_normalization: bool = False) -> None:
        super().__init__()
        self.model = copy.deepcopy(model).cpu().eval()
        self.include_normalization = include_normalization
        if include_normalization:
            pre = getattr(model, 'data_preprocessor', None)
            if type(pre).__name__ != 'ActionDataPreprocessor' or getattr(
                    pre, 'mean', None) is None:
                raise ValueError(
                    f'include_normalization needs an ActionDataPreprocessor '
                    f'with mean/std; this model has '
                    f'{type(pre).__name__} (export the normalised input '
                    'instead and apply the preprocessing yourself)')
            self.register_buffer('mean', pre.mean.detach().clone().view(
                1, -1, 1, 1, 1))
            self.register_buffer('std', pre.std.detach().clone().view(
                1, -1, 1, 1, 1))
            self.to_rgb = bool(getattr(pre, 'to_rgb', False))

    def forward(self, clip: torch.Tensor) -> torch.Tensor:
        """``(B, C, T, H, W)`` -> ``(B, D)``."""
        if self.include_normalization:
            if self.to_rgb:
                clip = clip.flip(1)
            clip = (clip - self.mean) / self.std
        if hasattr(self.model, 'pooled_features'):  # mmssl algorithms
            return self.model.pooled_features(clip)
        feats = self.model.backbone(clip)  # e.g. an MMAction2 recognizer
        if isinstance(feats, (tuple, list)):
            feats = feats[-1]
        return feats.flatten(2).mean(-1)


def supports_other_clip_shape(encoder: nn.Module,
                              shape: Sequence[int]) -> bool:
    """Whether ``encoder`` runs on a clip of ``shape`` ``(B, C, T, H, W)``
    (a ViT with a fixed positional table raises for another ``T``)."""
    try:
        with torch.no_grad():
            encoder(torch.zeros(*shape))
        return True
    except (RuntimeError, ValueError, AssertionError):
        return False


def export_torchscript(encoder: nn.Module, example: torch.Tensor,
                       path: str) -> torch.jit.ScriptModule:
    """Trace ``encoder`` on ``example`` and save it to ``path``."""
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter('ignore')  # tracer and deprecation notices
        traced = torch.jit.trace(encoder, example, check_trace=False)
    traced.save(path)
    return traced


def export_onnx(encoder: nn.Module,
                example: torch.Tensor,
                path: str,
                opset: int = DEFAULT_OPSET,
                dynamic_time: bool = True,
                dynamic_space: bool = False) -> Dict[int, str]:
    """Export ``encoder`` to ONNX (input ``clip``, output ``embedding``).

    Args:
        encoder (nn.Module): E.g. :class:`ClipEncoder`.
        example (torch.Tensor): ``(B, C, T, H, W)`` example clip.
        path (str): Output ``.onnx`` file.
        opset (int): ONNX opset version.
        dynamic_time (bool): Make ``T`` a dynamic axis.
        dynamic_space (bool): Make ``H`` and ``W`` dynamic axes.

    Returns:
        dict[int, str]: The dynamic axes of the input.
    """
    axes = {0: 'batch'}
    if dynamic_time:
        axes[2] = 'time'
    if dynamic_space:
        axes.update({3: 'height', 4: 'width'})
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter('ignore')  # legacy-exporter notices
        torch.onnx.export(
            encoder, (example, ), path, dynamo=False, opset_version=opset,
            input_names=['clip'], output_names=['embedding'],
            dynamic_axes=dict(clip=axes, embedding={0: 'batch'}))
    return axes


def compare_outputs(encoder: nn.Module,
                    run_exported,
                    shapes: Sequence[Sequence[int]],
                    seed: int = 0) -> Tuple[float, float]:
    """Largest absolute and relative difference between ``encoder`` and an
    exported copy (``run_exported(numpy clip) -> numpy embedding``) on
    random clips of each of ``shapes``."""
    generator = torch.Generator().manual_seed(seed)
    worst_abs, worst_rel = 0.0, 0.0
    for shape in shapes:
        clip = torch.randn(*shape, generator=generator) * 50 + 100
        with torch.no_grad():
            expected = encoder(clip)
        got = torch.as_tensor(run_exported(clip.numpy()))
        if got.shape != expected.shape:
            raise AssertionError(f'exported output {tuple(got.shape)} vs '
                                 f'PyTorch {tuple(expected.shape)} for input '
                                 f'{tuple(shape)}')
        diff = (got - expected).abs().max().item()
        scale = expected.abs().max().item() or 1.0
        worst_abs, worst_rel = max(worst_abs, diff), max(worst_rel,
                                                         diff / scale)
    return worst_abs, worst_rel


def onnx_runner(path: str, num_threads: Optional[int] = 1):
    """A callable running ``path`` with onnxruntime on the CPU."""
    import onnxruntime as ort
    options = ort.SessionOptions()
    if num_threads:
        options.intra_op_num_threads = num_threads
    session = ort.InferenceSession(path, options,
                                   providers=['CPUExecutionProvider'])
    return lambda clip: session.run(None, {'clip': clip})[0]

