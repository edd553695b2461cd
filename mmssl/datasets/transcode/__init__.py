"""Re-encode a video dataset to a short side and a short key-frame interval
(``tools/data/transcode.py``; issue 16, deliverable 5)."""
from .encode import (count_frames, encoder_available, even_output_size,
                     transcode_file, transcode_settings)
from .job import (VIDEO_EXTENSIONS, list_videos, output_rel, rewrite_list,
                  run_job)
from .report import build_report, decode_speed, format_report
from .run import MANIFEST_NAME, load_manifest, transcode_dataset

__all__ = [
    'count_frames', 'encoder_available', 'even_output_size',
    'transcode_file', 'transcode_settings', 'VIDEO_EXTENSIONS', 'list_videos',
    'output_rel', 'rewrite_list', 'run_job', 'build_report', 'decode_speed',
    'format_report', 'MANIFEST_NAME', 'load_manifest', 'transcode_dataset'
]
