"""Re-encode one video to a short side and a short key-frame interval.

Issue 16 (deliverable 5): decoding is the bottleneck on real footage, and
the usual cure (VideoMAE, SlowFast, pytorchvideo READMEs: "downscale your
videos") is to store the dataset at the training resolution with frequent
key frames, so that random access seeks little and decodes small frames.

Frames are decoded in decoder output order (the *sequential* numbering the
samplers use, see ``decode_backends.base``), scaled so that the short side
is ``short_side`` (never upscaled; both sides rounded down to even numbers,
as yuv420p needs), re-timed to a constant frame rate (the stream's average
rate) with one output frame per input frame (no frame dropping or
duplication), and encoded video-only (audio is dropped). Encoding goes
through PyAV (FFmpeg libraries) or, when PyAV is not installed, through the
``ffmpeg`` binary with ``-fps_mode passthrough``.
"""
import os
import shutil
import subprocess
from fractions import Fraction
from typing import Dict, Optional, Tuple

DEFAULT_FPS = Fraction(25)  # when a stream states no frame rate


def transcode_settings(short_side: int, keyint: int, codec: str = 'libx264',
                       crf: Optional[int] = 23,
                       preset: Optional[str] = 'medium') -> Dict:
    """Checked encoder settings (also stored in the manifest)."""
    if int(short_side) < 2:
        raise ValueError(f'short_side must be >= 2, got {short_side}')
    if int(keyint) < 1:
        raise ValueError(f'keyint must be >= 1, got {keyint}')
    return dict(short_side=int(short_side), keyint=int(keyint), codec=codec,
                crf=None if crf is None else int(crf), preset=preset)


def even_output_size(size: Tuple[int, int], short_side: int
                     ) -> Tuple[int, int]:
    """(H, W) with short side ``min(short_side, current)``, aspect kept,
    both sides rounded down to even (at least 2)."""
    h, w = size
    short = min(short_side, h, w)
    scale = short / min(h, w)
    return (max(2, int(round(h * scale)) // 2 * 2),
            max(2, int(round(w * scale)) // 2 * 2))


def encoder_options(settings: Dict) -> Dict[str, str]:
    """FFmpeg encoder options: GOP size, and crf / preset where they apply.

    ``g`` is the maximal key-frame interval; x264/x265 may add key frames at
    scene cuts, which only shortens it.
    """
    options = {'g': str(settings['keyint'])}
    codec = settings['codec']
    if settings.get('crf') is not None and codec.startswith(
            ('libx26', 'libvpx', 'libaom', 'libsvtav1')):
        options['crf'] = str(settings['crf'])
        if codec.startswith('libvpx'):
            options['b'] = '0'  # constant quality mode of libvpx
    if settings.get('preset') and codec.startswith(('libx26', 'libsvtav1')):
        options['preset'] = str(settings['preset'])
    return options


def import_av_for_transcode():
    """``import av`` or None (then the ``ffmpeg`` binary is tried)."""
    try:
        import av
    except ImportError:
        return None
    return av


def encoder_available() -> str:
    """``'pyav'`` or ``'ffmpeg'``; ImportError naming ``pip install av``."""
    if import_av_for_transcode() is not None:
        return 'pyav'
    if shutil.which('ffmpeg'):
        return 'ffmpeg'
    raise ImportError('transcoding needs PyAV (pip install av, or pip '
                      'install "mmssl[av]") or an ffmpeg binary on PATH')


def transcode_file(src: str, dst: str, settings: Dict,
                   encoder: str = 'pyav') -> Dict:
    """Encode ``src`` into ``dst`` (its extension picks the container).

    Returns:
        dict: ``src_frames`` (frames decoded from ``src``; None with the
        ffmpeg binary), ``size`` ((H, W) written; None with the binary).
    """
    if encoder == 'ffmpeg':
        _transcode_ffmpeg_binary(src, dst, settings)
        return dict(src_frames=None, size=None)
    av = import_av_for_transcode()
    with av.open(src) as inp:
        vin = inp.streams.video[0]
        vin.thread_type = 'AUTO'
        rate = vin.average_rate or vin.guessed_rate or DEFAULT_FPS
        rate = Fraction(rate).limit_denominator(100000)
        height, width = even_output_size(
            (vin.codec_context.height, vin.codec_context.width),
            settings['short_side'])
        with av.open(dst, 'w') as out:
            vout = out.add_stream(settings['codec'], rate=rate)
            vout.width, vout.height = width, height
            vout.pix_fmt = 'yuv420p'
            vout.options = encoder_options(settings)
            count = 0
            for frame in inp.decode(vin):
                scaled = frame.reformat(width=width, height=height,
                                        format='yuv420p',
                                        interpolation='BILINEAR')
                scaled.pts = count  # constant rate, one out per in
                scaled.time_base = 1 / rate
                count += 1
                for packet in vout.encode(scaled):
                    out.mux(packet)
            for packet in vout.encode():
                out.mux(packet)
    if count == 0:
        raise ValueError('no decodable video frame')
    return dict(src_frames=count, size=(height, width))


def _transcode_ffmpeg_binary(src: str, dst: str, settings: Dict) -> None:
    short = settings['short_side']
    side = f'trunc(min({short},%s)/2)*2'
    scale = (f"scale='if(lte(iw,ih),{side % 'iw'},-2)':"
             f"'if(lte(iw,ih),-2,{side % 'ih'})':flags=bilinear")
    cmd = ['ffmpeg', '-nostdin', '-loglevel', 'error', '-y', '-i', src,
           '-map', '0:v:0', '-an', '-vf', scale, '-fps_mode', 'passthrough',
           '-c:v', settings['codec'], '-pix_fmt', 'yuv420p']
    for key, value in encoder_options(settings).items():
        cmd += [f'-{key}', value]
    proc = subprocess.run(cmd + [dst], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f'ffmpeg failed ({proc.returncode}): '
                           f'{proc.stderr.strip()[-500:]}')


def count_frames(path: str) -> int:
    """Frames a sequential decode of ``path`` outputs (PyAV, or ffprobe)."""
    av = import_av_for_transcode()
    if av is not None:
        with av.open(path) as container:
            stream = container.streams.video[0]
            stream.thread_type = 'AUTO'
            return sum(1 for _ in container.decode(stream))
    if not shutil.which('ffprobe'):
        raise ImportError('counting frames needs PyAV (pip install av) or '
                          'ffprobe on PATH')
    proc = subprocess.run(
        ['ffprobe', '-v', 'error', '-select_streams', 'v:0', '-count_frames',
         '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', path],
        capture_output=True, text=True, check=True)
    return int(proc.stdout.strip().split(',')[0])


def temp_path(dst: str) -> str:
    """Hidden sibling of ``dst`` with the same extension (picks the muxer)."""
    folder, name = os.path.split(dst)
    stem, ext = os.path.splitext(name)
    return os.path.join(folder, f'.{stem}.transcoding{ext}')
