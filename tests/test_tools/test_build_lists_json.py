"""tools/data/{diving48,sthv2}/build_lists.py on fake official JSON files
and tiny videos: exact lines and labels, bad entries named."""
import json
import os

import pytest
from list_builder_fixtures import (load_build_lists, read_list, write_text,
                                   write_tiny_videos)

DIVING = load_build_lists('diving48')
STHV2 = load_build_lists('sthv2')


def dump(path, data):
    return write_text(path, json.dumps(data, indent=1))


def diving_entry(name, label, start=0, end=80):
    return dict(vid_name=name, label=label, start_frame=start, end_frame=end)


@pytest.fixture
def diving_root(tmp_path):
    # 3 classes in the vocabulary (48 in the release)
    dump(tmp_path / 'Diving48_vocab.json',
         [['Back', '15som', 'NoTwis', 'PIKE'],
          ['Back', '15som', '05Twis', 'FREE'],
          ['Forward', '25som', 'NoTwis', 'PIKE']])
    dump(tmp_path / 'Diving48_V2_train.json', [
        diving_entry('-mmq0PT-u8k_00155', 2),
        diving_entry('_8Vy3dlHg2w_00000', 0, 10, 90),
        diving_entry('4sQ9d0C0UiI_00017', 1)
    ])
    dump(tmp_path / 'Diving48_V2_test.json',
         [diving_entry('0D8Wvhpchaw_00023', 1)])
    write_tiny_videos(tmp_path / 'videos',
                      ['-mmq0PT-u8k_00155.mp4', '0D8Wvhpchaw_00023.mp4'])
    return tmp_path


def test_diving48_lists_exact(diving_root):
    assert DIVING.main(['--root', str(diving_root)]) == 0
    assert read_list(diving_root / 'diving48_train_list_videos.txt') == [
        '-mmq0PT-u8k_00155.mp4 2', '_8Vy3dlHg2w_00000.mp4 0',
        '4sQ9d0C0UiI_00017.mp4 1'
    ]
    assert read_list(diving_root / 'diving48_val_list_videos.txt') == [
        '0D8Wvhpchaw_00023.mp4 1'
    ]


def test_diving48_annotations_folder_and_check_videos(diving_root, capsys):
    ann = diving_root / 'annotations'
    ann.mkdir()
    for name in ('Diving48_vocab.json', 'Diving48_V2_train.json',
                 'Diving48_V2_test.json'):
        os.rename(diving_root / name, ann / name)
    assert DIVING.main(['--root', str(diving_root), '--check-videos']) == 0
    assert read_list(diving_root / 'diving48_train_list_videos.txt') == [
        '-mmq0PT-u8k_00155.mp4 2'
    ]
    assert 'skipped 2 missing video files' in capsys.readouterr().out


@pytest.mark.parametrize('entries, message', [
    ([diving_entry('a', 0), diving_entry('b', 3)],
     "Diving48_V2_train.json: entry [1] (b): label 3 is not a class of "
     'Diving48_vocab.json (0..2)'),
    ([diving_entry('a', 0), {'label': 1}],
     "Diving48_V2_train.json: entry [1]: no 'vid_name' key"),
    ([diving_entry('a', '1')],
     "Diving48_V2_train.json: entry [0]: 'label' must be of type int, "
     "got '1'"),
    ([diving_entry('a', 1, 50, 10)],
     'Diving48_V2_train.json: entry [0] (a): frame range 50..10 is empty'),
])
def test_diving48_bad_entry_is_named(diving_root, capsys, entries, message):
    dump(diving_root / 'Diving48_V2_train.json', entries)
    assert DIVING.main(['--root', str(diving_root)]) == 1
    err = capsys.readouterr().err
    assert err.startswith('error: ') and message in err


def test_diving48_broken_json_names_line(diving_root, capsys):
    write_text(diving_root / 'Diving48_V2_test.json',
               '[\n {"vid_name": "a", "label": 0},\n {"vid_name": "b" "l"}\n]')
    assert DIVING.main(['--root', str(diving_root)]) == 1
    assert 'Diving48_V2_test.json:3: not valid JSON' in \
        capsys.readouterr().err


def test_diving48_missing_vocab(diving_root, capsys):
    os.remove(diving_root / 'Diving48_vocab.json')
    assert DIVING.main(['--root', str(diving_root)]) == 1
    err = capsys.readouterr().err
    assert 'Diving48_vocab.json of the official Diving48 V2' in err


SSV2_LABELS = {
    'Approaching something with your camera': '0',
    'Holding something next to something': '2',
    'Putting something on a surface': '1',
}


def ssv2_entry(video_id, template, label='a filled-in caption'):
    return dict(id=video_id, label=label, template=template,
                placeholders=['potato'])


@pytest.fixture
def ssv2_root(tmp_path):
    labels = tmp_path / 'labels'
    dump(labels / 'labels.json', SSV2_LABELS)
    dump(labels / 'train.json', [
        ssv2_entry('78687', 'Holding [something] next to [something]',
                   'holding potato next to vicks vaporub bottle'),
        ssv2_entry('42326', 'Putting [something] on a surface'),
    ])
    dump(labels / 'validation.json', [
        ssv2_entry('74225', 'Approaching [something] with your camera'),
        ssv2_entry('116154', 'Putting [something] on a surface'),
    ])
    write_tiny_videos(tmp_path / 'videos', ['78687.webm', '74225.webm'])
    return tmp_path


def test_sthv2_lists_exact(ssv2_root, capsys):
    assert STHV2.main(['--root', str(ssv2_root), '--check-videos']) == 0
    assert read_list(ssv2_root / 'sthv2_train_list_videos.txt') == [
        '78687.webm 2'
    ]
    assert read_list(ssv2_root / 'sthv2_val_list_videos.txt') == [
        '74225.webm 0'
    ]
    assert read_list(ssv2_root / 'sthv2_val_list_videos_missing.txt') == [
        '116154.webm'
    ]
    out = ssv2_root / 'all'
    assert STHV2.main(['--root', str(ssv2_root), '--out-dir', str(out)]) == 0
    assert read_list(out / 'sthv2_train_list_videos.txt') == [
        '78687.webm 2', '42326.webm 1'
    ]


def test_sthv2_mmaction2_file_names(ssv2_root):
    ann = ssv2_root / 'annotations'
    ann.mkdir()
    for name in ('labels', 'train', 'validation'):
        os.rename(ssv2_root / 'labels' / f'{name}.json',
                  ann / f'something-something-v2-{name}.json')
    assert STHV2.main(['--root', str(ssv2_root)]) == 0
    assert read_list(ssv2_root / 'sthv2_val_list_videos.txt') == [
        '74225.webm 0', '116154.webm 1'
    ]


@pytest.mark.parametrize('entry, message', [
    (ssv2_entry('5', 'Pushing [something] so it spins'),
     "validation.json: entry [1] (id 5): unknown class 'Pushing something "
     "so it spins' (template not in labels.json)"),
    ({'id': '5', 'label': 'x'}, "validation.json: entry [1]: no 'template'"),
    (ssv2_entry('v5', 'Putting [something] on a surface'),
     "validation.json: entry [1]: id 'v5' is not a number"),
])
def test_sthv2_bad_entry_is_named(ssv2_root, capsys, entry, message):
    dump(ssv2_root / 'labels' / 'validation.json',
         [ssv2_entry('1', 'Putting [something] on a surface'), entry])
    assert STHV2.main(['--root', str(ssv2_root)]) == 1
    err = capsys.readouterr().err
    assert err.startswith('error: ') and message in err


def test_sthv2_bad_class_ids(ssv2_root, capsys):
    dump(ssv2_root / 'labels' / 'labels.json', {'a': '0', 'b': '2'})
    assert STHV2.main(['--root', str(ssv2_root)]) == 1
    assert 'labels.json: class ids must be 0..1, each once' in \
        capsys.readouterr().err
