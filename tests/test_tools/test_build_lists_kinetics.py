"""tools/data/kinetics400/build_lists.py on fake official CSV files and
tiny videos: exact lines and labels, class-balanced nested subsets that a
seed reproduces, and bad rows named with file:line."""
import os
import random
from collections import Counter

import pytest
from list_builder_fixtures import (load_build_lists, read_list, write_text,
                                   write_tiny_videos)

from mmssl.datasets.list_builders import (SubsetError,
                                          class_balanced_nested_subsets,
                                          parse_subset_size)

K400 = load_build_lists('kinetics400')
HEADER = 'label,youtube_id,time_start,time_end,split\n'
# label -> videos in train.csv (unequal on purpose)
CLASSES = {
    'zumba': 6,
    'abseiling': 7,
    'passing American football (in game)': 8,
    'air drumming': 9,
}
CLASS_DIRS = ['abseiling', 'air_drumming',
              'passing_American_football_(in_game)', 'zumba']  # sorted


def train_rows():
    return [(label, f'{label[:2]}-{i:08d}', 10 * i, 10 * i + 10)
            for label, count in CLASSES.items() for i in range(count)]


def csv_text(rows, split):
    lines = [f'"{label}",{vid},{start},{end},{split}\n'
             for label, vid, start, end in rows]
    return HEADER + ''.join(lines)


@pytest.fixture
def k400_root(tmp_path):
    write_text(tmp_path / 'kinetics400' / 'train.csv',
               csv_text(train_rows(), 'train'))
    write_text(tmp_path / 'kinetics400' / 'validate.csv', HEADER +
               'air drumming,-0Abc_d,14.0,24.0,val\n'
               'zumba,xyz,0,10,val\n')
    write_tiny_videos(tmp_path / 'videos_val', [
        'air_drumming/-0Abc_d_000014_000024.mp4'])
    return tmp_path


def run(root, *options):
    return K400.main(['--root', str(root), '--subsets', '8,12,16',
                      *options])


def test_kinetics400_lists_exact(k400_root):
    assert run(k400_root) == 0
    train = read_list(k400_root / 'kinetics400_train_list_videos.txt')
    assert len(train) == 30
    assert train[0] == 'zumba/zu-00000000_000000_000010.mp4 3'
    assert train[6] == 'abseiling/ab-00000000_000000_000010.mp4 0'
    assert train[13] == ('passing_American_football_(in_game)/'
                         'pa-00000000_000000_000010.mp4 2')
    assert train[-1] == 'air_drumming/ai-00000008_000080_000090.mp4 1'
    assert read_list(k400_root / 'kinetics400_val_list_videos.txt') == [
        'air_drumming/-0Abc_d_000014_000024.mp4 1',
        'zumba/xyz_000000_000010.mp4 3'
    ]


def test_kinetics400_flat_layout(k400_root, tmp_path):
    write_tiny_videos(k400_root / 'videos_val', ['xyz_000000_000010.mp4'])
    out = tmp_path / 'flat'
    assert run(k400_root, '--flat', '--check-videos', '--subsets', '',
               '--out-dir', str(out)) == 0
    assert read_list(out / 'kinetics400_val_list_videos.txt') == [
        'xyz_000000_000010.mp4 3'
    ]


def subset_lines(root, size):
    return read_list(root / f'kinetics400_train_{size}_list_videos.txt')


def test_kinetics400_subsets_balanced_nested_deterministic(k400_root,
                                                          tmp_path):
    assert run(k400_root) == 0
    full = read_list(k400_root / 'kinetics400_train_list_videos.txt')
    subsets = {size: subset_lines(k400_root, size) for size in (8, 12, 16)}
    for size, lines in subsets.items():
        assert Counter(line.split()[1] for line in lines) == {
            str(label): size // 4 for label in range(4)}
        # in the train list's order
        assert lines == [line for line in full if line in set(lines)]
    assert set(subsets[8]) < set(subsets[12]) < set(subsets[16])
    again = tmp_path / 'again'
    assert run(k400_root, '--out-dir', str(again)) == 0
    assert all(subset_lines(again, size) == subsets[size]
               for size in (8, 12, 16))
    other = tmp_path / 'seed1'
    assert run(k400_root, '--out-dir', str(other), '--seed', '1') == 0
    assert subset_lines(other, 16) != subsets[16]


def test_subsets_do_not_depend_on_list_order():
    entries = [(f'c{label}/v{i}.mp4', label) for label in range(3)
               for i in range(5)]
    shuffled = list(entries)
    random.Random(0).shuffle(shuffled)
    sizes = {'a': 6, 'b': 9}
    first = class_balanced_nested_subsets(entries, sizes, 3, seed=4)
    second = class_balanced_nested_subsets(shuffled, sizes, 3, seed=4)
    assert {k: set(v) for k, v in first.items()} == \
        {k: set(v) for k, v in second.items()}


def test_subsets_from_existing_videos_only(k400_root, capsys):
    present = [f'{d}/{d[:2]}-{i:08d}_{10 * i:06d}_{10 * i + 10:06d}.mp4'
               for d in CLASS_DIRS for i in range(3)]
    write_tiny_videos(k400_root / 'videos_train', present)
    assert run(k400_root, '--check-videos', '--subsets', '8') == 0
    kept = set(read_list(k400_root / 'kinetics400_train_list_videos.txt'))
    assert len(kept) == 12 and set(subset_lines(k400_root, 8)) <= kept
    printed = capsys.readouterr().out
    assert 'kinetics400_train_list_videos.txt: 12 videos, skipped 18' in \
        printed
    assert 'kinetics400_val_list_videos.txt: 1 videos, skipped 1' in printed


def test_short_classes_error_or_allowed(k400_root, capsys):
    assert run(k400_root, '--subsets', '28') == 1
    err = capsys.readouterr().err
    assert ('error: 1 of 4 classes have fewer than 7 videos, the per-class '
            'quota of the largest subset (label 3: 6)') in err
    assert run(k400_root, '--subsets', '28', '--allow-short-classes') == 0
    lines = subset_lines(k400_root, 28)
    assert Counter(line.split()[1] for line in lines) == {
        '0': 7, '1': 7, '2': 7, '3': 6}


def test_subset_size_errors(k400_root, capsys):
    assert run(k400_root, '--subsets', '10') == 1
    assert 'subset size 10 is not a multiple of the 4 classes' in \
        capsys.readouterr().err
    assert run(k400_root, '--subsets', '1.5k') == 1
    assert "subset size '1.5k' must be a positive number" in \
        capsys.readouterr().err
    assert parse_subset_size('100k') == 100000
    with pytest.raises(SubsetError):
        parse_subset_size('0')


@pytest.mark.parametrize('name, text, message', [
    ('validate.csv', HEADER + 'zumba,a,0,10,val\nyoga,b,0,10,val\n',
     "validate.csv:3: unknown class 'yoga' (not a label of"),
    ('validate.csv', HEADER + 'zumba,a,0,10\n',
     'validate.csv:2: 4 fields, the header has 5'),
    ('train.csv', HEADER + 'zumba,a,zero,10,train\n',
     "train.csv:2: time_start/time_end must be numbers, got 'zero', '10'"),
    ('train.csv', 'label,youtube,time_start,time_end\nzumba,a,0,10\n',
     "train.csv:1: header ['label', 'youtube', 'time_start', 'time_end'] "
     "lacks ['youtube_id']"),
])
def test_kinetics400_bad_rows_are_named(k400_root, capsys, name, text,
                                        message):
    write_text(k400_root / 'kinetics400' / name, text)
    assert run(k400_root) == 1
    err = capsys.readouterr().err
    assert err.startswith('error: ') and message in err


def test_kinetics400_missing_csv(k400_root, capsys):
    os.remove(k400_root / 'kinetics400' / 'validate.csv')
    assert run(k400_root) == 1
    assert 'validate.csv of the official Kinetics-400 annotations' in \
        capsys.readouterr().err
