"""A Compose that times each transform of a dataset's pipeline.

For ``tools/analysis_tools/benchmark_dataloader.py``: the dataset's
pipeline is swapped (after the dataset is built, before the loader's
workers start) for a :class:`TimedCompose` of the same transform objects,
so training code paths are unchanged. Each transform's wall time is added
to its *stage*, and the times travel back with the batch under
:data:`TIMING_KEY` of the packed sample (a flat dict of numbers, which both
``pseudo_collate`` and ``default_collate`` batch column-wise).

Stages, from the transform's class name and position: ``open`` (``*Init``),
``sample`` (between open and decode: the frame sampler), ``decode`` (the
first transform with ``Decode`` in its name), ``augment`` (everything after
decode up to packing, cross-video reads included), ``pack`` (``Pack*``).
A transform with a ``benchmark_stage`` attribute is put in that stage. A
nested pipeline counts in its wrapper's stage.
"""
import time
from typing import Dict, List, Sequence

import numpy as np
from mmengine.dataset import Compose

from .cpu_time import process_cpu_seconds, worker_identity
from .synthetic_decode import ProbeVideoSize, SyntheticDecode

STAGES = ('open', 'sample', 'decode', 'augment', 'pack')
TIMING_KEY = 'loader_timing'
TRANSFORM_PREFIX = 'transform/'


def transform_stages(transforms: Sequence) -> List[str]:
    """Stage of each transform (see the module docstring)."""
    names = [type(t).__name__ for t in transforms]
    decode = next((i for i, n in enumerate(names) if 'Decode' in n), None)
    stages = []
    for i, name in enumerate(names):
        if getattr(transforms[i], 'benchmark_stage', None) in STAGES:
            stages.append(transforms[i].benchmark_stage)
        elif name.startswith('Pack'):
            stages.append('pack')
        elif name.endswith('Init'):
            stages.append('open')
        elif decode is None or i > decode:
            stages.append('augment')
        else:
            stages.append('decode' if i == decode else 'sample')
    return stages


class TimedCompose(Compose):
    """:class:`Compose` that records stage and transform times.

    The packed sample gets ``TIMING_KEY`` = {stage: seconds, ``total``,
    ``transform/<i>:<name>``: seconds, ``worker`` (loader worker id, -1 in
    the main process), ``pid``, ``cpu_start`` / ``cpu_end`` (CPU seconds
    of the process before and after the sample)}.
    """

    def __init__(self, transforms: Sequence) -> None:
        super().__init__(list(transforms))
        self.stages = transform_stages(self.transforms)
        self.keys = [f'{TRANSFORM_PREFIX}{i}:{type(t).__name__}'
                     for i, t in enumerate(self.transforms)]

    def __call__(self, data: Dict):
        worker, pid = worker_identity()
        cpu_start = process_cpu_seconds()
        timing = dict.fromkeys(STAGES, 0.0)
        start = time.perf_counter()
        for transform, stage, key in zip(self.transforms, self.stages,
                                         self.keys):
            t0 = time.perf_counter()
            data = transform(data)
            timing[key] = time.perf_counter() - t0
            timing[stage] += timing[key]
            if data is None:  # a skipped sample: the dataset refetches
                return None
        timing.update(total=time.perf_counter() - start, worker=worker,
                      pid=pid, cpu_start=cpu_start,
                      cpu_end=process_cpu_seconds())
        data[TIMING_KEY] = timing
        return data


def instrument_dataset(dataset, no_decode: bool = False) -> int:
    """Swap every pipeline inside ``dataset`` (wrappers included) for a
    :class:`TimedCompose`; with ``no_decode`` the decode transform becomes
    :class:`ProbeVideoSize` + :class:`SyntheticDecode`. Returns the number
    of pipelines swapped."""
    count = 0
    pipeline = getattr(dataset, 'pipeline', None)
    if isinstance(pipeline, Compose):
        transforms = list(pipeline.transforms)
        if no_decode:
            stages = transform_stages(transforms)
            if 'decode' not in stages:
                raise ValueError('--no-decode: the pipeline has no decode '
                                 f'transform: {transforms}')
            decode = stages.index('decode')
            transforms[decode:decode + 1] = [ProbeVideoSize(),
                                             SyntheticDecode()]
        dataset.pipeline = TimedCompose(transforms)
        count += 1
    for child in getattr(dataset, 'datasets', None) or []:
        count += instrument_dataset(child, no_decode)
    if getattr(dataset, 'dataset', None) is not None:
        count += instrument_dataset(dataset.dataset, no_decode)
    return count


def unbatch_timing(batched: Dict) -> List[Dict[str, float]]:
    """Per-sample timing dicts from a collated :data:`TIMING_KEY` entry."""
    columns = {
        key: np.asarray(value.tolist() if hasattr(value, 'tolist') else
                        value, dtype=np.float64).reshape(-1)
        for key, value in batched.items()
    }
    size = len(next(iter(columns.values())))
    return [{key: float(col[i]) for key, col in columns.items()}
            for i in range(size)]
