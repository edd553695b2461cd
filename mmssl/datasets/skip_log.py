"""Records of skipped samples that travel with the batch.

A transform with ``on_error='skip'`` returns ``None`` for a video it cannot
read; :class:`~mmssl.datasets.VideoListDataset` then draws another sample.
Dataloader workers are separate processes, so a counter kept in the worker
would never reach the training process. Instead the dataset attaches a
:class:`SkipLog` (the skips that happened while producing this sample) to
the sample it finally returns, under the key :data:`SKIP_LOG_KEY`; the
records are pickled with the batch and
:class:`~mmssl.engine.hooks.SkipAccountingHook` counts them per epoch
across ranks.

Why a transform skipped reaches the dataset through
:func:`collect_skip_reasons`: while the dataset runs its pipeline, the
reasons passed to :func:`report_skip` are collected instead of logged.
"""
import itertools
import os
import threading
from contextlib import contextmanager
from typing import Iterator, List, NamedTuple, Sequence

from mmengine.logging import MMLogger

SKIP_LOG_KEY = 'skip_log'

_local = threading.local()
_counter = itertools.count(1)


class SkipRecord(NamedTuple):
    """One skipped sample.

    Attributes:
        filename (str): The video.
        where (str): ``'ann_file:line'`` or ``''``.
        reason (str): Why it was skipped (the transform's message).
    """
    filename: str
    where: str
    reason: str

    def describe(self) -> str:
        """One line: ``reason`` (which names the file), or file + reason."""
        if self.filename in self.reason:
            return self.reason
        where = f' (listed at {self.where})' if self.where else ''
        return f'"{self.filename}"{where}: {self.reason}'


class SkipLog:
    """Skips that preceded one returned sample (possibly none).

    Deliberately not a ``Sequence``: MMEngine's ``pseudo_collate`` then
    keeps one object per sample instead of transposing records of unequal
    length, so a batch carries ``[SkipLog, SkipLog, ...]``.

    Args:
        records (Sequence[SkipRecord]): The skips, in order.
    """

    def __init__(self, records: Sequence[SkipRecord] = ()) -> None:
        self.records = tuple(SkipRecord(*r) for r in records)

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[SkipRecord]:
        return iter(self.records)

    def __repr__(self) -> str:
        return f'SkipLog({list(self.records)!r})'


@contextmanager
def collect_skip_reasons() -> Iterator[List[str]]:
    """Collect the reasons given to :func:`report_skip` in this thread.

    Yields:
        list[str]: Filled with the messages while the context is open.
    """
    previous = getattr(_local, 'reasons', None)
    _local.reasons = reasons = []
    try:
        yield reasons
    finally:
        _local.reasons = previous


def report_skip(message: str) -> None:
    """A transform skipped a sample: collect the reason, or log it.

    Inside :func:`collect_skip_reasons` (a :class:`VideoListDataset`
    pipeline) the dataset accounts for the skip and the hook logs it.
    Elsewhere a warning is logged; it carries a per-process sequence number
    because MMEngine's logger drops a warning whose text it has seen before
    (``FilterDuplicateWarning``), which would hide a file failing again.
    """
    reasons = getattr(_local, 'reasons', None)
    if reasons is not None:
        reasons.append(message)
        return
    MMLogger.get_current_instance().warning(
        f'skipping sample: {message} [skip {next(_counter)} in process '
        f'{os.getpid()}]')
