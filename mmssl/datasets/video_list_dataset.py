"""A validating version of MMAction2's ``VideoDataset``."""
import os.path as osp
from typing import List, Optional

from mmaction.datasets import VideoDataset
from mmengine.fileio import exists, list_from_file
from mmengine.logging import MMLogger

from mmssl.registry import DATASETS
from .errors import AnnotationError


@DATASETS.register_module()
class VideoListDataset(VideoDataset):
    """MMAction2 ``VideoDataset`` ('<path> <label>' lines) that validates.

    Differences from ``VideoDataset``:

    - A malformed line (wrong number of fields, non-integer label) raises
      :class:`AnnotationError` naming ``ann_file:line`` instead of an
      unpacking error deep in the loader.
    - ``missing_files='raise'`` checks at load time that each listed video
      exists and raises naming the file and line; ``'skip'`` logs and drops
      such entries; ``'ignore'`` (MMAction2's behaviour) does not check.
    - Each sample carries ``ann_file`` and ``ann_line`` so decode errors can
      name the line too, and optionally a ``split_tag`` (stored under
      ``retrieval_split``) used by :class:`RetrievalMetric` to tell gallery
      from query videos.

    Args:
        ann_file (str): Annotation list.
        pipeline (list): Transforms.
        missing_files (str): ``'raise'`` | ``'skip'`` | ``'ignore'``.
            Defaults to ``'raise'``.
        split_tag (str, optional): Value for ``retrieval_split``.
        **kwargs: Passed to ``VideoDataset``.
    """

    MISSING_FILE_MODES = ('raise', 'skip', 'ignore')

    def __init__(self,
                 ann_file: str,
                 pipeline: list,
                 missing_files: str = 'raise',
                 split_tag: Optional[str] = None,
                 **kwargs) -> None:
        if missing_files not in self.MISSING_FILE_MODES:
            raise ValueError(f'missing_files must be one of '
                             f'{self.MISSING_FILE_MODES}, got {missing_files!r}')
        self.missing_files = missing_files
        self.split_tag = split_tag
        super().__init__(ann_file=ann_file, pipeline=pipeline, **kwargs)

    def _parse_line(self, line: str, lineno: int) -> Optional[dict]:
        fields = line.strip().split(self.delimiter)
        where = f'{self.ann_file}:{lineno}'
        if self.multi_class:
            if len(fields) < 2:
                raise AnnotationError(
                    f'{where}: expected "<path> <label> [<label> ...]", got '
                    f'{line.strip()!r}')
        elif len(fields) not in (1, 2):
            raise AnnotationError(
                f'{where}: expected "<path> <label>" separated by '
                f'{self.delimiter!r}, got {len(fields)} fields in '
                f'{line.strip()!r}')
        try:
            labels = [int(x) for x in fields[1:]]
        except ValueError:
            raise AnnotationError(
                f'{where}: label must be an integer, got {line.strip()!r}')
        if any(x < 0 for x in labels) or (self.num_classes is not None and any(
                x >= self.num_classes for x in labels)):
            raise AnnotationError(
                f'{where}: label out of range [0, {self.num_classes}) in '
                f'{line.strip()!r}')
        if self.multi_class:
            label = labels
        else:
            label = labels[0] if labels else -1
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
        if not exists(self.ann_file):
            raise FileNotFoundError(
                f'annotation file not found: {self.ann_file}')
        data_list, skipped = [], 0
        for lineno, line in enumerate(list_from_file(self.ann_file), 1):
            if not line.strip():
                continue
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
