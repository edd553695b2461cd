"""Diving48 V2 lists from the official annotations (docs/datasets/diving48.md).

Example::

    python tools/data/diving48/build_lists.py --root data/diving48 \
        --check-videos

Reads ``Diving48_vocab.json`` and ``Diving48_V2_{train,test}.json`` (in
``<root>`` or ``<root>/annotations``) and writes
``diving48_{train,val}_list_videos.txt`` ('<vid_name>.mp4 <label>', paths
relative to ``<root>/videos``).
"""
import sys

from mmssl.datasets.list_builders.cli import simple_builder_main


def main(argv=None) -> int:
    return simple_builder_main('diving48', __doc__.splitlines()[0], argv)


if __name__ == '__main__':
    sys.exit(main())
