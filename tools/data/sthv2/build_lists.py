"""SSv2 video lists from the official label files (docs/datasets/sthv2.md).

Example::

    python tools/data/sthv2/build_lists.py --root data/sthv2 \
        --check-videos

Reads ``labels.json``, ``train.json`` and ``validation.json`` (in
``<root>/labels``, ``<root>/annotations`` or ``<root>``; MMAction2's
``something-something-v2-*.json`` names too) and writes
``sthv2_{train,val}_list_videos.txt`` ('<id>.webm <label>', paths relative to
``<root>/videos``).
"""
import sys

from mmssl.datasets.list_builders.cli import simple_builder_main


def main(argv=None) -> int:
    return simple_builder_main('sthv2', __doc__.splitlines()[0], argv)


if __name__ == '__main__':
    sys.exit(main())
