"""Diving48 V2 (Li et al. ECCV 2018; V2 = the re-annotated labels).

Official files (http://www.svcl.ucsd.edu/projects/resound/dataset.html):

- ``Diving48_vocab.json``: 48 entries, the label's sub-labels (takeoff,
  somersaults, twists, flight position);
- ``Diving48_V2_{train,test}.json``: a list of
  ``{"vid_name", "label", "start_frame", "end_frame"}``;
- videos ``rgb/<vid_name>.mp4`` (``Diving48_rgb.tar.gz``).

Lists (MMAction2's ``tools/data/diving48`` names):
``diving48_{train,val}_list_videos.txt`` with ``'<vid_name>.mp4 <label>'``
(the test set is the val list).
"""
import os.path as osp
from typing import List

from ..errors import AnnotationError
from .common import Entry, VideoList, official_file
from .json_files import entry_field, load_json

SOURCE = ('of the official Diving48 V2 annotations (http://www.svcl.ucsd.edu/'
          'projects/resound/dataset.html)')


def read_diving48_split(path: str, num_classes: int) -> List[Entry]:
    """Entries of ``Diving48_V2_{train,test}.json``.

    Raises:
        AnnotationError: An entry lacks ``vid_name``/``label``, has a label
            outside ``[0, num_classes)``, or a frame range that is not
            ``0 <= start_frame <= end_frame``.
    """
    entries = []
    for index, entry in enumerate(load_json(path, list)):
        where = f'{path}: entry [{index}]'
        name = entry_field(entry, 'vid_name', str, where)
        label = entry_field(entry, 'label', int, where)
        if not 0 <= label < num_classes:
            raise AnnotationError(
                f'{where} ({name}): label {label} is not a class of '
                f'Diving48_vocab.json (0..{num_classes - 1})')
        if 'start_frame' in entry or 'end_frame' in entry:
            start = entry_field(entry, 'start_frame', int, where)
            end = entry_field(entry, 'end_frame', int, where)
            if not 0 <= start <= end:
                raise AnnotationError(
                    f'{where} ({name}): frame range {start}..{end} is empty')
        if not name or '/' in name:
            raise AnnotationError(f'{where}: bad vid_name {name!r}')
        entries.append((f'{name}.mp4', label))
    return entries


def build_diving48_lists(root: str,
                         ann_dir: str = None,
                         video_dir: str = None) -> List[VideoList]:
    """The Diving48 V2 train and val lists.

    Args:
        root (str): Dataset root (``data/diving48``).
        ann_dir (str, optional): Folder of the JSON files (default
            ``<root>`` or ``<root>/annotations``).
        video_dir (str, optional): ``<root>/videos`` by default.

    Returns:
        list[VideoList]
    """
    dirs = [ann_dir] if ann_dir else [root, osp.join(root, 'annotations')]
    video_dir = video_dir or osp.join(root, 'videos')
    vocab_path = official_file(['Diving48_vocab.json'], dirs,
                               f'Diving48_vocab.json {SOURCE}')
    num_classes = len(load_json(vocab_path, list))
    lists = []
    for subset, official in (('train', 'train'), ('val', 'test')):
        name = f'Diving48_V2_{official}.json'
        path = official_file([name], dirs, f'{name} {SOURCE}')
        lists.append(
            VideoList(f'diving48_{subset}_list_videos.txt',
                      read_diving48_split(path, num_classes), video_dir))
    return lists
