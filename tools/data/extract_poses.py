"""Extract 2D human poses from videos into an MMAction2 skeleton .pkl.

Every video under VIDEO_ROOT (or those of ``--list``) is decoded frame by
frame and each frame goes through MediaPipe Pose (mediapipe 0.10.14, legacy
``solutions.pose``, bundled model, ``model_complexity=1``); its 33 landmarks
are mapped to COCO-17. The output is MMAction2 1.1.0's ``PoseDataset``
format with one person per video (``keypoint`` (1, T, 17, 2) pixels,
``keypoint_score`` (1, T, 17) MediaPipe visibility, zeros in frames
without a person) and ``frame_dir`` = the video file's stem, which is what
CSVR's ``LoadPoseAnnotation`` matches. See docs/tools/pose_extraction.md.

Example::

    python tools/data/extract_poses.py data/ucf101/videos \\
        --list data/ucf101/ucf101_train_split_1_videos.txt \\
        --out data/ucf101/poses_mediapipe.pkl

mediapipe is an optional dependency (not installed with mmssl); the
import error prints the install command.
"""
import argparse
import os.path as osp
import sys
import time

try:
    from mmssl.datasets import pose_extraction
except ImportError:  # running from a source checkout without installing
    sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..',
                                            '..')))
    from mmssl.datasets import pose_extraction
from mmssl.datasets.annotation_list import (read_annotation_lines,
                                            split_fields)
from mmssl.datasets.pose_annotations import video_stem, write_pose_pkl
from mmssl.datasets.transcode import list_videos


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('video_root', help='dataset root (data_prefix)')
    parser.add_argument('--out', required=True, help='output .pkl')
    parser.add_argument(
        '--list', default=None,
        help="annotation list ('<path> <label>' lines relative to "
        'video_root): only its videos, labels copied into the records')
    parser.add_argument('--min-detection-confidence', type=float,
                        default=0.5, help='default: %(default)s')
    parser.add_argument('--min-tracking-confidence', type=float,
                        default=0.5, help='default: %(default)s')
    return parser.parse_args(argv)


def _labels(ann_file):
    labels = {}
    if ann_file is None:
        return labels
    for lineno, text in read_annotation_lines(ann_file):
        fields = split_fields(text, ' ', f'{ann_file}:{lineno}')
        labels[fields[0]] = int(fields[1]) if len(fields) > 1 else -1
    return labels


def _check_unique_stems(rels):
    seen = {}
    for rel in rels:
        stem = video_stem(rel)
        if stem in seen:
            raise SystemExit(
                f'error: {seen[stem]} and {rel} have the same file stem '
                f'"{stem}"; frame_dir must identify one video')
        seen[stem] = rel


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        pose_extraction.import_mediapipe()
    except ImportError as err:
        print(f'error: {err}', file=sys.stderr)
        return 1
    from tqdm import tqdm
    rels = list_videos(args.video_root, args.list)
    _check_unique_stems(rels)
    labels = _labels(args.list)
    records, empty, failed = [], [], []
    start = time.perf_counter()
    frames_bar = tqdm(unit='frame', desc='frames', position=1)
    for rel in tqdm(rels, unit='video', desc='videos', position=0):
        path = osp.join(args.video_root, rel)
        try:
            with pose_extraction.MediaPipePoseEstimator(
                    args.min_detection_confidence,
                    args.min_tracking_confidence) as estimator:
                record = pose_extraction.extract_video_poses(
                    path, estimator, labels.get(rel, -1),
                    progress=frames_bar.update)
        except Exception as err:  # noqa: BLE001 - report and go on
            failed.append(rel)
            tqdm.write(f'{rel}: cannot extract poses: {err}')
            continue
        found = int((record['keypoint_score'][0].max(axis=1) > 0).sum())
        if found == 0:
            empty.append(rel)
            tqdm.write(f'{rel}: no person found in any of its '
                       f'{record["total_frames"]} frames (all-zero poses '
                       'written; LoadPoseAnnotation marks them invalid)')
        records.append(record)
    frames_bar.close()
    write_pose_pkl(args.out, records)
    frames = sum(r['total_frames'] for r in records)
    print(f'Wrote {len(records)} videos ({frames} frames) to {args.out} in '
          f'{time.perf_counter() - start:.1f} s; no person found in '
          f'{len(empty)}, failed: {len(failed)}.')
    for rel in failed:
        print(f'  failed: {rel}')
    return 0 if not failed else 2


if __name__ == '__main__':
    sys.exit(main())
