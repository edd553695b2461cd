"""Checkpoint converters: authors' released weights to mmssl / MMAction2
backbone keys (see docs/model_converters.md and
``tools/model_converters/convert_checkpoint.py``)."""
from .checkpoint_io import (read_released_checkpoint,
                            save_converted_checkpoint)
from .convert import build_backbone, check_fits, convert_state_dict
from .key_mapping import (ConversionError, ConversionReport, DropRule,
                          KeyRule, rename_keys, select_prefix)
from .specs import CONVERTERS, ConverterSpec, get_converter

__all__ = [
    'CONVERTERS', 'ConverterSpec', 'get_converter', 'convert_state_dict',
    'check_fits', 'build_backbone', 'read_released_checkpoint',
    'save_converted_checkpoint', 'ConversionError', 'ConversionReport',
    'KeyRule', 'DropRule', 'rename_keys', 'select_prefix'
]
