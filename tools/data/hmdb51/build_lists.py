"""HMDB51 lists from the official split files (docs/datasets/hmdb51.md).

Example::

    python tools/data/hmdb51/build_lists.py --root data/hmdb51 \
        --check-videos

Reads ``<root>/testTrainMulti_7030_splits/<class>_test_split{1,2,3}.txt``
and writes ``hmdb51_{train,val}_split_{1,2,3}_videos.txt``
('<class>/<video>.avi <label>', paths relative to ``<root>/videos``).
"""
import sys

from mmssl.datasets.list_builders.cli import simple_builder_main


def main(argv=None) -> int:
    return simple_builder_main('hmdb51', __doc__.splitlines()[0], argv)


if __name__ == '__main__':
    sys.exit(main())
