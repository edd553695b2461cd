"""Something-Something V2 (Goyal et al. ICCV 2017).

Official files (the labels archive of the 20BN / Qualcomm download,
folder ``labels/``; MMAction2 renames them
``something-something-v2-{labels,train,validation}.json``):

- ``labels.json``: ``{"<template without brackets>": "<class id>"}``, 174
  classes with ids ``"0"`` .. ``"173"``;
- ``train.json`` / ``validation.json``: a list of ``{"id", "label",
  "template", "placeholders"}``; ``template`` is the class with its objects
  written ``[something]``; ``label`` has them filled in (not the class);
- videos ``<id>.webm``.

Lists (MMAction2's ``tools/data/sthv2`` names):
``sthv2_{train,val}_list_videos.txt`` with ``'<id>.webm <class id>'``; the
class is ``labels.json[template with '[' and ']' removed]``, as MMAction2's
``parse_sthv2_splits`` maps it.
"""
import os.path as osp
from typing import Dict, List

from ..errors import AnnotationError
from .common import Entry, VideoList, official_file
from .json_files import entry_field, load_json

SOURCE = ('of the official Something-Something V2 labels (https://www.'
          'qualcomm.com/developer/software/something-something-v-2-dataset)')


def read_class_ids(path: str) -> Dict[str, int]:
    """``{template: class id}`` from ``labels.json``.

    Raises:
        AnnotationError: An id is not an integer, or the ids are not
            ``0 .. n-1`` each once.
    """
    classes = {}
    for template, value in load_json(path, dict).items():
        try:
            classes[template] = int(value)
        except (TypeError, ValueError):
            raise AnnotationError(
                f'{path}: class {template!r} has id {value!r}, not an '
                'integer') from None
    if sorted(classes.values()) != list(range(len(classes))):
        raise AnnotationError(
            f'{path}: class ids must be 0..{len(classes) - 1}, each once')
    return classes


def read_sthv2_split(path: str, classes: Dict[str, int]) -> List[Entry]:
    """Entries of ``train.json`` / ``validation.json``.

    Raises:
        AnnotationError: An entry without ``id``/``template``, a non-numeric
            id, or a template that is not a class of ``labels.json``.
    """
    entries = []
    for index, entry in enumerate(load_json(path, list)):
        where = f'{path}: entry [{index}]'
        video_id = entry_field(entry, 'id', str, where)
        template = entry_field(entry, 'template', str, where)
        if not video_id.isdigit():
            raise AnnotationError(f'{where}: id {video_id!r} is not a number')
        class_name = template.replace('[', '').replace(']', '')
        if class_name not in classes:
            raise AnnotationError(
                f'{where} (id {video_id}): unknown class {class_name!r} '
                '(template not in labels.json)')
        entries.append((f'{video_id}.webm', classes[class_name]))
    return entries


def build_sthv2_lists(root: str,
                      ann_dir: str = None,
                      video_dir: str = None) -> List[VideoList]:
    """The SSv2 train and val lists.

    Args:
        root (str): Dataset root (``data/sthv2``).
        ann_dir (str, optional): Folder of the JSON files (default
            ``<root>/labels``, ``<root>/annotations`` or ``<root>``).
        video_dir (str, optional): ``<root>/videos`` by default.

    Returns:
        list[VideoList]
    """
    dirs = [ann_dir] if ann_dir else [
        osp.join(root, 'labels'),
        osp.join(root, 'annotations'), root
    ]
    video_dir = video_dir or osp.join(root, 'videos')

    def official(name):
        return official_file(
            [f'{name}.json', f'something-something-v2-{name}.json'], dirs,
            f'{name}.json {SOURCE}')

    classes = read_class_ids(official('labels'))
    return [
        VideoList(f'sthv2_{subset}_list_videos.txt',
                  read_sthv2_split(official(name), classes), video_dir)
        for subset, name in (('train', 'train'), ('val', 'validation'))
    ]
