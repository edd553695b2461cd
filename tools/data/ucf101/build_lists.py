"""UCF101 lists from the official split files (docs/datasets/ucf101.md).

Example::

    python tools/data/ucf101/build_lists.py --root data/ucf101 \
        --check-videos

Reads ``<root>/ucfTrainTestlist/{classInd,trainlist0k,testlist0k}.txt``
and writes ``ucf101_{train,val}_split_{1,2,3}_videos.txt``
('<Class>/<video>.avi <label>', paths relative to ``<root>/videos``).
"""
import sys

from mmssl.datasets.list_builders.cli import simple_builder_main


def main(argv=None) -> int:
    return simple_builder_main('ucf101', __doc__.splitlines()[0], argv)


if __name__ == '__main__':
    sys.exit(main())
