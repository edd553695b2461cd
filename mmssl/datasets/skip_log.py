"""Records of skipped samples that travel with the batch.

A transform with ``on_error='skip'`` returns ``None`` for a video it cannot
read; :class:`~mmssl.datasets.VideoListDataset` then draws another sample.
Dataloader workers are separate processes, so a counter kept in the worker
would never reach the training process. Instead the dataset attaches a
:class:`SkipLog` (the skips that happened while producing this sample) to
the sample it finally returns, in the metainfo key :data:`SKIP_LOG_KEY`
of its data sample (:func:`attach_skip_log`; the model ignores metainfo,
while a new top-level key would reach ``model.forward`` through MMAction2's
data preprocessor); the records are pickled with the batch and
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
from typing import Iterator, List, NamedTuple, Optional, Sequence

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

    Deliberately not a ``Sequence``, so that collate functions keep it as
    one object and never transpose records of unequal length.

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


def attach_skip_log(data, records: Sequence[SkipRecord]) -> None:
    """Put the records into the metainfo of a packed sample's data sample.

    Args:
        data (dict): A packed sample, ``dict(inputs=..., data_samples=...)``.
        records (Sequence[SkipRecord]): Skips before this sample.

    A sample without a data sample (a pipeline that does not pack) cannot
    carry them: the skips are then logged here, in the loading process.
    """
    sample = data.get('data_samples') if isinstance(data, dict) else None
    if hasattr(sample, 'set_metainfo'):
        sample.set_metainfo({SKIP_LOG_KEY: SkipLog(records)})
        return
    for record in records:
        report_skip(SkipRecord(*record).describe())


def skip_logs_of_batch(data_batch) -> Optional[List[SkipLog]]:
    """The :class:`SkipLog` of every sample of a collated batch.

    Returns:
        list[SkipLog] | None: One per sample, or None when the batch's
        samples carry none (a dataset without skip accounting).
    """
    samples = data_batch.get('data_samples') if isinstance(
        data_batch, dict) else None
    if not isinstance(samples, (list, tuple)) or not samples or not all(
            hasattr(s, 'metainfo') for s in samples):
        return None
    logs = [s.metainfo.get(SKIP_LOG_KEY) for s in samples]
    if all(log is None for log in logs):
        return None
    return [log if log is not None else SkipLog() for log in logs]
