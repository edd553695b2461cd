"""Test helpers for tools/data/<dataset>/build_lists.py: fake official
files, tiny videos in the official layout, and the scripts' ``main``."""
import importlib.util
import os
import os.path as osp

from video_fixtures import write_index_video

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def load_build_lists(dataset: str):
    """The ``tools/data/<dataset>/build_lists.py`` module."""
    path = osp.join(REPO, 'tools', 'data', dataset, 'build_lists.py')
    spec = importlib.util.spec_from_file_location(
        f'build_lists_{dataset}', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_text(path, text: str) -> str:
    """Write ``text`` (folders created); returns the path as str."""
    path = str(path)
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write(text)
    return path


def write_tiny_videos(video_dir, paths) -> None:
    """A 4-frame 16x16 FFV1 video at each relative path.

    OpenCV cannot write WebM, and PyAV's VP9 encoder fails once decord's
    FFmpeg is loaded in the process, so a ``.webm`` path gets an FFV1 AVI
    under that name (FFmpeg-based readers probe the content, and the list
    builders only check that the file exists).
    """
    for rel in paths:
        path = osp.join(str(video_dir), rel)
        os.makedirs(osp.dirname(path), exist_ok=True)
        if path.endswith('.webm'):
            os.replace(write_index_video(path + '.avi', 4, size=16), path)
        else:
            write_index_video(path, 4, size=16)


def read_list(path) -> list:
    """Lines of a written list, without line ends."""
    with open(str(path), encoding='utf-8') as f:
        return f.read().splitlines()
