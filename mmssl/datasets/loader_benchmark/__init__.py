"""Timing of a config's data pipeline and loader
(``tools/analysis_tools/benchmark_dataloader.py``; issue 16, deliverable 6).
"""
from .cpu_time import cpu_time_source, process_cpu_seconds
from .summary import format_summary, summarise
from .synthetic_decode import ProbeVideoSize, SyntheticDecode
from .timed_compose import (STAGES, TIMING_KEY, TimedCompose,
                            instrument_dataset, transform_stages,
                            unbatch_timing)

__all__ = [
    'cpu_time_source', 'process_cpu_seconds', 'format_summary', 'summarise',
    'ProbeVideoSize', 'SyntheticDecode', 'STAGES', 'TIMING_KEY',
    'TimedCompose', 'instrument_dataset', 'transform_stages', 'unbatch_timing'
]
