"""Report the environment mmssl runs in (paste it into a bug report).

Example::

    python tools/misc/collect_env.py            # text, one "key: value" a line
    python tools/misc/collect_env.py --json     # the same as JSON

Adds to MMEngine's report (Python, PyTorch and its build, CUDA, GCC,
OpenCV, MMEngine): mmssl, MMAction2, which MMCV distribution is installed
(``mmcv`` with compiled ops or ``mmcv-lite``), decord, PyAV, onnx /
onnxruntime, every installed distribution that writes ``cv2/`` (more than
the two MMAction2 and MMEngine require makes them overwrite each other),
whether torch has ``torch.serialization.add_safe_globals`` (needed for
``--resume``), and each package whose version differs from
``requirements/constraints.txt`` (the tested set).
"""
import argparse
import importlib.metadata as metadata
import json
import os.path as osp
import sys
from collections import OrderedDict

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONSTRAINTS = osp.join(REPO, 'requirements', 'constraints.txt')
OPENCV_DISTRIBUTIONS = ('opencv-python', 'opencv-contrib-python',
                        'opencv-python-headless',
                        'opencv-contrib-python-headless')
PACKAGES = ('mmaction2', 'mmcv', 'mmcv-lite', 'decord', 'av', 'onnx',
            'onnxruntime', 'numpy')


def installed_version(name: str):
    """Version of distribution ``name``, or None if not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def read_constraints(path: str = CONSTRAINTS) -> dict:
    """``{name: version}`` of a ``name==version`` constraints file."""
    pins = {}
    if not osp.isfile(path):
        return pins
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if '==' in line:
                name, version = line.split('==', 1)
                pins[name.strip().lower()] = version.strip()
    return pins


def differences_from_constraints(pins: dict) -> dict:
    """``{name: 'installed X, tested Y'}`` for each pinned package whose
    installed version differs (a local label such as ``+cpu`` is ignored;
    packages that are not installed are reported as such)."""
    out = {}
    for name, tested in sorted(pins.items()):
        version = installed_version(name)
        if version is None:
            out[name] = f'not installed, tested {tested}'
        elif version.split('+')[0] != tested:
            out[name] = f'installed {version}, tested {tested}'
    return out


def collect_env() -> 'OrderedDict[str, object]':
    """The environment report as an ordered dict."""
    from mmengine.utils.dl_utils import collect_env as engine_env
    import torch

    import mmssl
    env = OrderedDict(engine_env())
    env['mmssl'] = f'{mmssl.__version__} ({osp.dirname(mmssl.__file__)})'
    for name in PACKAGES:
        env[name] = installed_version(name) or 'not installed'
    env['OpenCV distributions (write cv2/)'] = ', '.join(
        f'{n} {installed_version(n)}' for n in OPENCV_DISTRIBUTIONS
        if installed_version(n)) or 'none'
    env['torch.serialization.add_safe_globals'] = hasattr(
        torch.serialization, 'add_safe_globals')
    env['differs from requirements/constraints.txt'] = (
        differences_from_constraints(read_constraints()) or 'nothing')
    return env


def main(argv=None) -> 'OrderedDict[str, object]':
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--json', action='store_true', help='print JSON')
    args = parser.parse_args(argv)
    env = collect_env()
    if args.json:
        print(json.dumps(env, indent=2, default=str))
    else:
        for key, value in env.items():
            print(f'{key}: {value}')
    return env


if __name__ == '__main__':
    main()
    sys.exit(0)
