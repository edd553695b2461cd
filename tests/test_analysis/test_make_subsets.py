"""tools/data/make_subsets.py and mmssl.datasets.subsets: nested,
class-balanced, deterministic subsets and the too-few-videos error."""
import json
from collections import Counter

import pytest
from tool_modules import load_tool

from mmssl.datasets.subsets import (SubsetError, draw_nested_subsets,
                                    read_video_list)

CLASSES = ['run', 'jump', 'swim']


@pytest.fixture
def video_list(tmp_path):
    # 10 videos of class 0, 8 of class 1, 12 of class 2, interleaved
    counts = [10, 8, 12]
    lines = [f'c{label}/v{index:02d}.mp4 {label}'
             for index in range(12) for label in range(3)
             if index < counts[label]]
    path = tmp_path / 'demo_train_list_videos.txt'
    path.write_text('\n'.join(lines) + '\n')
    classes = tmp_path / 'classes.txt'
    classes.write_text('\n'.join(CLASSES) + '\n')
    return str(path), str(classes)


def run_tool(argv):
    return load_tool('tools/data/make_subsets.py', 'make_subsets').main(argv)


def test_nested_balanced_written(video_list, tmp_path):
    path, classes = video_list
    out = tmp_path / 'out'
    report = run_tool([path, '--sizes', '6', '15', '24', '--classes',
                       classes, '--out-dir', str(out)])
    lists = {size: read_video_list(
        str(out / f'demo_train_{size}_list_videos.txt'))
        for size in ('6', '15', '24')}
    for size, entries in lists.items():
        assert Counter(label for _, label in entries) == {
            0: int(size) // 3, 1: int(size) // 3, 2: int(size) // 3}
        assert len(set(entries)) == len(entries)
    assert set(lists['6']) < set(lists['15']) < set(lists['24'])
    # input order kept
    full = read_video_list(path)
    assert lists['15'] == [e for e in full if e in set(lists['15'])]
    assert report['subsets']['6']['nested'] is True
    assert report['subsets']['24']['min_per_class'] == 8
    with open(out / 'subsets.json') as f:
        assert json.load(f)['subsets']['15']['num_videos'] == 15


def test_deterministic_under_seed(video_list):
    entries = read_video_list(video_list[0])
    sizes = {'a': 6, 'b': 21}
    first = draw_nested_subsets(entries, sizes, seed=3)
    assert first == draw_nested_subsets(entries, sizes, seed=3)
    # the selection does not depend on the order of the input list
    reordered = draw_nested_subsets(entries[::-1], sizes, seed=3)
    assert {k: sorted(v) for k, v in reordered.items()} == {
        k: sorted(v) for k, v in first.items()}
    assert first['a'] != draw_nested_subsets(entries, sizes, seed=4)['a']


def test_too_few_videos_names_the_class(video_list, capsys):
    path, classes = video_list
    with pytest.raises(SubsetError) as error:
        run_tool([path, '--sizes', '6', '27', '--classes', classes])
    message = str(error.value)
    assert "subset '27'" in message and '9 videos per class' in message
    assert "'jump' (label 1): 8" in message
    assert 'run' not in message.split('fewer:')[1]  # 10 >= 9: not short
    entries = read_video_list(path)
    with pytest.raises(SubsetError, match='label 1: 8'):
        draw_nested_subsets(entries, {'x': 27})
    short = draw_nested_subsets(entries, {'x': 27}, allow_short=True)
    assert Counter(label for _, label in short['x']) == {0: 9, 1: 8, 2: 9}


def test_size_not_a_multiple_of_classes(video_list):
    with pytest.raises(SubsetError, match='not a multiple'):
        draw_nested_subsets(read_video_list(video_list[0]), {'x': 7})


def test_same_lists_as_the_kinetics_builder(video_list):
    """make_subsets.py and build_lists.py --subsets draw the same videos
    for the same seed (configs/_base_/datasets/kinetics400_*k.py say so)."""
    from mmssl.datasets.list_builders import subset_lists
    from mmssl.datasets.list_builders.common import VideoList
    entries = read_video_list(video_list[0])
    ours = draw_nested_subsets(entries, {'6': 6, '24': 24}, seed=5)
    theirs = subset_lists(VideoList('x', entries, ''), 3, ['24', '6'], 5)
    assert [v.entries for v in theirs] == [ours['24'], ours['6']]
