"""Test helpers: tiny generated videos whose frames encode their index."""

import cv2
import numpy as np

FRAME_VALUE_STEP = 5  # frame t is a constant grey image of value 5 * t


def write_index_video(path: str, num_frames: int, size: int = 32) -> str:
    """Write a video whose frame ``t`` is uniformly ``FRAME_VALUE_STEP * t``.

    Decoded indices can then be read back with :func:`frame_index`.
    """
    # FFV1 is lossless, so decoded grey values are exact.
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'FFV1'), 25,
                             (size, size))
    for t in range(num_frames):
        writer.write(
            np.full((size, size, 3), FRAME_VALUE_STEP * t, dtype=np.uint8))
    writer.release()
    return path


def frame_index(frame: np.ndarray) -> int:
    """Index of a frame written by :func:`write_index_video`."""
    return int(round(float(frame.mean()) / FRAME_VALUE_STEP))


def synthmotion_cfg_options(root: str) -> list:
    """``--cfg-options`` pointing a synthmotion config at ``root``."""
    return [
        f'train_dataloader.dataset.ann_file={root}/train_list.txt',
        f'train_dataloader.dataset.data_prefix.video={root}',
        f'test_dataloader.dataset.datasets.0.ann_file={root}/train_list.txt',
        f'test_dataloader.dataset.datasets.0.data_prefix.video={root}',
        f'test_dataloader.dataset.datasets.1.ann_file={root}/val_list.txt',
        f'test_dataloader.dataset.datasets.1.data_prefix.video={root}',
    ]
