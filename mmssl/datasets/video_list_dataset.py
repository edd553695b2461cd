"""A validating version of MMAction2's ``VideoDataset``."""
import os.path as osp
from typing import List, Optional

from mmaction.datasets import VideoDataset
from mmengine.logging import MMLogger

from mmssl.registry import DATASETS
from .annotation_list import read_annotation_lines, split_fields
from .errors import AnnotationError, VideoReadError
from .generate_if_missing import ensure_annotation_list
from .sample_seeding import SampleSeedingMixin
from .skip_log import SkipRecord, attach_skip_log, collect_skip_reasons

NO_REASON = 'the pipeline returned None (a transform dropped the sample)'


@DATASETS.register_module()
class VideoListDataset(SampleSeedingMixin, VideoDataset):
    """MMAction2 ``VideoDataset`` ('<path> <label>' lines) that validates.

    Differences from ``VideoDataset``:

    - The list is read strictly (:mod:`mmssl.datasets.annotation_list`):
      non-UTF-8 bytes, a tab in a space-delimited list, an empty field, a
      line without a label, a non-integer or out-of-range label raise
      :class:`AnnotationError` naming ``ann_file:line``; a leading UTF-8
      byte-order mark is ignored; a path with spaces is written in double
      quotes (``"my video.mp4" 3``).
    - ``missing_files='raise'`` checks at load time that each listed video
      exists and raises naming the file and line; ``'skip'`` logs and drops
      such entries; ``'ignore'`` (MMAction2's behaviour) does not check.
    - Each sample carries ``ann_file`` and ``ann_line`` so decode errors can
      name the line too, and optionally a ``split_tag`` (stored under
      ``retrieval_split``) used by :class:`RetrievalMetric` to tell gallery
      from query videos.
    - Skips are accounted for (training only). When a transform with
      ``on_error='skip'`` drops a sample, another is drawn (MMEngine's
      retry) and a :class:`SkipRecord` (file, line, reason) is attached to
      the sample finally returned (metainfo ``'skip_log'`` of its data
      sample, see :func:`attach_skip_log`); the records reach the training
      process with the batch (also from dataloader workers) and
      :class:`SkipAccountingHook` counts them. If every video fails, or
      ``max_refetch + 1`` draws in a row do, a :class:`VideoReadError`
      lists what failed.
    - A test-mode dataset (test / retrieval loaders) refuses a pipeline
      with ``on_error='skip'`` at build time: dropping a video would change
      the metric silently.

    Args:
        ann_file (str): Annotation list.
        pipeline (list): Transforms.
        missing_files (str): ``'raise'`` | ``'skip'`` | ``'ignore'``.
            Defaults to ``'raise'``.
        split_tag (str, optional): Value for ``retrieval_split``.
        allow_unlabelled (bool): Accept lines with only a path (label -1),
            e.g. unlabelled pretraining lists. Defaults to False.
        generate_if_missing (str | dict, optional): Name of a SynthMotion
            variant (or ``dict(variant=NAME, **params)``) generated into
            ``data_prefix['video']`` when ``ann_file`` is missing
            (:mod:`mmssl.datasets.generate_if_missing`); ``None``: a missing
            list raises, naming the generator command. Defaults to None.
        **kwargs: Passed to ``VideoDataset`` (``delimiter``, ``num_classes``,
            ``test_mode``, ``max_refetch`` ...).
    """

    MISSING_FILE_MODES = ('raise', 'skip', 'ignore')

    def __init__(self,
                 ann_file: str,
                 pipeline: list,
                 missing_files: str = 'raise',
                 split_tag: Optional[str] = None,
                 allow_unlabelled: bool = False,
                 generate_if_missing=None,
                 **kwargs) -> None:
        if missing_files not in self.MISSING_FILE_MODES:
            raise ValueError(f'missing_files must be one of '
                             f'{self.MISSING_FILE_MODES}, got {missing_files!r}')
        self.missing_files = missing_files
        self.split_tag = split_tag
        self.allow_unlabelled = allow_unlabelled
        self.generate_if_missing = generate_if_missing
        super().__init__(ann_file=ann_file, pipeline=pipeline, **kwargs)
        if self.test_mode:
            self._refuse_skipping_transforms()

    def _refuse_skipping_transforms(self) -> None:
        for transform in getattr(self.pipeline, 'transforms', []):
            if getattr(transform, 'on_error', None) == 'skip':
                raise ValueError(
                    f'{type(transform).__name__}(on_error=\'skip\') in the '
                    f'test-mode dataset of {self.ann_file}: test and '
                    'retrieval loaders cannot drop a video without changing '
                    "the metric. Use on_error='raise' (the default) in test "
                    'pipelines and remove unreadable videos from the list.')

    def _parse_labels(self, fields: List[str], line: str, where: str):
        if not fields[1:]:
            if self.allow_unlabelled:
                return [] if self.multi_class else -1
            raise AnnotationError(
                f'{where}: no label in {line!r}; expected "<path>'
                f'{self.delimiter}<label>" (allow_unlabelled=True accepts '
                'lines without one)')
        try:
            labels = [int(x) for x in fields[1:]]
        except ValueError:
            raise AnnotationError(
                f'{where}: label must be an integer, got {line!r}') from None
        for label in labels:
            if self.num_classes is not None and not (0 <= label <
                                                     self.num_classes):
                raise AnnotationError(
                    f'{where}: label {label} out of range in {line!r}; valid '
                    f'labels are 0..{self.num_classes - 1} '
                    f'(num_classes={self.num_classes})')
            if label < 0:
                raise AnnotationError(
                    f'{where}: label {label} is negative in {line!r}; labels '
                    'are class indices 0, 1, 2, ...')
        return labels if self.multi_class else labels[0]

    def _parse_line(self, line: str, lineno: int) -> dict:
        where = f'{self.ann_file}:{lineno}'
        fields = split_fields(line, self.delimiter, where)
        line = line.strip()
        if not self.multi_class and len(fields) > 2:
            raise AnnotationError(
                f'{where}: expected "<path>{self.delimiter}<label>", got '
                f'{len(fields)} fields in {line!r}; a path containing '
                f'{self.delimiter!r} is written in double quotes')
        label = self._parse_labels(fields, line, where)
        filename = fields[0]
        if self.data_prefix.get('video') is not None:
            filename = osp.join(self.data_prefix['video'], filename)
        info = dict(
            filename=filename,
            label=label,
            ann_file=self.ann_file,
            ann_line=lineno)
        if self.split_tag is not None:
            info['retrieval_split'] = self.split_tag
        return info

    def load_data_list(self) -> List[dict]:
        """Parse and validate the annotation list."""
        ensure_annotation_list(self.ann_file, self.data_prefix.get('video'),
                               self.generate_if_missing)
        data_list, skipped = [], 0
        for lineno, line in read_annotation_lines(self.ann_file):
            info = self._parse_line(line, lineno)
            if self.missing_files != 'ignore' and not osp.isfile(
                    info['filename']):
                message = (f'{self.ann_file}:{lineno}: video file not found: '
                           f'{info["filename"]}')
                if self.missing_files == 'raise':
                    raise FileNotFoundError(message)
                MMLogger.get_current_instance().warning(
                    f'skipping, {message}')
                skipped += 1
                continue
            data_list.append(info)
        if not data_list:
            raise AnnotationError(
                f'{self.ann_file}: no usable entries'
                f'{f" ({skipped} skipped, missing files)" if skipped else ""}')
        return data_list

    def _skip_record(self, idx: int, reasons: List[str]) -> SkipRecord:
        info = self.get_data_info(idx)
        return SkipRecord(
            filename=str(info.get('filename', f'sample {idx}')),
            where=f'{info["ann_file"]}:{info["ann_line"]}'
            if 'ann_line' in info else '',
            reason=reasons[-1] if reasons else NO_REASON)

    def __getitem__(self, idx: int) -> dict:
        """The ``idx``-th sample; skipped draws travel with it.

        Like ``BaseDataset.__getitem__`` (draw another sample while the
        pipeline returns ``None``, at most ``max_refetch`` times), but every
        skip is recorded, a list whose videos all fail raises one clear
        error, and a test-mode sample is never replaced.
        """
        # draws from (seed, epoch, index) (docs/reliability.md)
        idx = self.seed_sample_rngs(idx)
        if not self._fully_initialized:
            self.full_init()
        skipped: List[SkipRecord] = []
        failed = set()
        for _ in range(self.max_refetch + 1):
            with collect_skip_reasons() as reasons:
                data = self.prepare_data(idx)
            if data is not None:
                if not self.test_mode:
                    attach_skip_log(data, skipped)
                return data
            record = self._skip_record(idx, reasons)
            if self.test_mode:
                raise VideoReadError(
                    f'test-mode sample {record.describe()}; a test or '
                    'retrieval loader does not replace samples')
            skipped.append(record)
            failed.add(idx)
            if len(failed) == len(self):
                raise VideoReadError(
                    f'every video of {self.ann_file} ({len(self)}) failed to '
                    f'load, e.g. {record.describe()}')
            idx = self._rand_another()
        raise VideoReadError(
            f'{len(skipped)} draws in a row from {self.ann_file} failed to '
            f'load ({len(failed)} of {len(self)} videos tried, max_refetch='
            f'{self.max_refetch}); last: {skipped[-1].describe()}')
