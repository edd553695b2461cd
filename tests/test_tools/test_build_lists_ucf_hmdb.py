"""tools/data/{ucf101,hmdb51}/build_lists.py on fake official split files
and tiny videos in the official layouts: exact list lines and labels,
missing videos counted, and bad split files named with file:line."""
import os
import os.path as osp

import pytest
from list_builder_fixtures import (load_build_lists, read_list,
                                   write_text, write_tiny_videos)

from mmssl.datasets.list_builders import HMDB51_CLASSES

UCF = load_build_lists('ucf101')
HMDB = load_build_lists('hmdb51')

# classInd.txt order on purpose not alphabetical: labels follow classInd.
UCF_CLASS_IND = '1 HandstandPushups\r\n2 ApplyEyeMakeup\r\n3 Basketball\r\n'
UCF_VIDEOS = {
    'a': 'HandstandPushups/v_HandStandPushups_g01_c01.avi',
    'b': 'HandstandPushups/v_HandStandPushups_g08_c02.avi',
    'c': 'ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi',
    'd': 'ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi',
    'e': 'Basketball/v_Basketball_g08_c03.avi',
    'f': 'Basketball/v_Basketball_g01_c01.avi',
}
UCF_LABEL = {'a': 1, 'b': 1, 'c': 2, 'd': 2, 'e': 3, 'f': 3}  # 1-based
# split -> (train keys, test keys)
UCF_SPLITS = {1: ('bde', 'acf'), 2: ('acf', 'bde'), 3: ('abc', 'def')}


@pytest.fixture
def ucf_root(tmp_path):
    ann = tmp_path / 'ucfTrainTestlist'
    write_text(ann / 'classInd.txt', UCF_CLASS_IND)
    for split, (train, test) in UCF_SPLITS.items():
        write_text(ann / f'trainlist0{split}.txt', ''.join(
            f'{UCF_VIDEOS[k]} {UCF_LABEL[k]}\r\n' for k in train))
        write_text(ann / f'testlist0{split}.txt',
                   ''.join(f'{UCF_VIDEOS[k]}\r\n' for k in test))
    write_tiny_videos(tmp_path / 'videos', UCF_VIDEOS.values())
    return tmp_path


def test_ucf101_lists_exact(ucf_root):
    assert UCF.main(['--root', str(ucf_root)]) == 0
    assert read_list(ucf_root / 'ucf101_train_split_1_videos.txt') == [
        'HandstandPushups/v_HandStandPushups_g08_c02.avi 0',
        'ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1',
        'Basketball/v_Basketball_g08_c03.avi 2',
    ]
    assert read_list(ucf_root / 'ucf101_val_split_1_videos.txt') == [
        'HandstandPushups/v_HandStandPushups_g01_c01.avi 0',
        'ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi 1',
        'Basketball/v_Basketball_g01_c01.avi 2',
    ]
    assert read_list(ucf_root / 'ucf101_val_split_3_videos.txt') == [
        'ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1',
        'Basketball/v_Basketball_g08_c03.avi 2',
        'Basketball/v_Basketball_g01_c01.avi 2',
    ]


def test_ucf101_lists_load_in_video_list_dataset(ucf_root):
    from mmssl.datasets import VideoListDataset
    from mmssl.datasets.transforms import SafeDecordInit
    assert UCF.main(['--root', str(ucf_root)]) == 0
    # missing_files='raise' (default): every listed video resolves
    dataset = VideoListDataset(
        ann_file=str(ucf_root / 'ucf101_train_split_2_videos.txt'),
        pipeline=[],
        data_prefix=dict(video=str(ucf_root / 'videos')),
        num_classes=3)
    infos = [dataset.get_data_info(i) for i in range(3)]
    assert [info['label'] for info in infos] == [0, 1, 2]
    opened = SafeDecordInit()(dict(filename=infos[2]['filename']))
    assert opened['total_frames'] == 4


def test_ucf101_check_videos_skips_and_counts(ucf_root, tmp_path, capsys):
    os.remove(ucf_root / 'videos' / UCF_VIDEOS['d'])
    out = tmp_path / 'lists'
    assert UCF.main(['--root', str(ucf_root), '--out-dir', str(out),
                     '--check-videos']) == 0
    assert read_list(out / 'ucf101_train_split_1_videos.txt') == [
        'HandstandPushups/v_HandStandPushups_g08_c02.avi 0',
        'Basketball/v_Basketball_g08_c03.avi 2',
    ]
    assert read_list(out / 'ucf101_train_split_1_videos_missing.txt') == [
        UCF_VIDEOS['d']]
    printed = capsys.readouterr().out
    assert 'ucf101_train_split_1_videos.txt: 2 videos, skipped 1 missing' \
        in printed
    assert 'ucf101_val_split_1_videos.txt: 3 videos\n' in printed


@pytest.mark.parametrize('name, text, message', [
    ('trainlist01.txt', 'Basketball/v_B_g01_c01.avi 3\r\nJuggling/v_J.avi 3',
     "trainlist01.txt:2: unknown class 'Juggling' (not in classInd.txt)"),
    ('testlist02.txt', 'Basketball/v_B.avi\nv_Basketball_g01_c02.avi\n',
     'testlist02.txt:2: expected "<ClassName>/<video>.avi [label]"'),
    ('trainlist03.txt', 'Basketball/v_B.avi three\n',
     'trainlist03.txt:1: the label must be an integer'),
    ('trainlist01.txt', 'Basketball/v_B.avi 1\n',
     "trainlist01.txt:1: label 1 disagrees with classInd.txt, where "
     "'Basketball' is 3"),
    ('classInd.txt', '1 HandstandPushups\n3 Basketball\n',
     'classInd.txt:2: class index 3, expected 2'),
])
def test_ucf101_bad_split_file_names_file_and_line(ucf_root, capsys, name,
                                                   text, message):
    write_text(ucf_root / 'ucfTrainTestlist' / name, text)
    assert UCF.main(['--root', str(ucf_root)]) == 1
    err = capsys.readouterr().err
    assert err.startswith('error: ') and message in err
    assert 'Traceback' not in err


def test_ucf101_missing_official_file(ucf_root, capsys):
    os.remove(ucf_root / 'ucfTrainTestlist' / 'testlist02.txt')
    assert UCF.main(['--root', str(ucf_root)]) == 1
    err = capsys.readouterr().err
    assert 'testlist02.txt of the official UCF101 split files' in err
    assert osp.join('ucfTrainTestlist', 'testlist02.txt') in err


# HMDB51: every class has one train, one test and one unused video per
# split; which is which rotates with the split.
HMDB_ODD = 'Faith_Rewarded_(1)_brush_hair_f_cm_np1_ba_goo_0.avi'


def hmdb_videos(class_name):
    first = HMDB_ODD if class_name == 'brush_hair' else f'{class_name}_v0.avi'
    return [first, f'{class_name}_v1.avi', f'{class_name}_v2.avi']


def hmdb_flags(split):
    return {1: '120', 2: '012', 3: '201'}[split]


@pytest.fixture
def hmdb_root(tmp_path):
    ann = tmp_path / 'testTrainMulti_7030_splits'
    for class_name in HMDB51_CLASSES:
        for split in (1, 2, 3):
            write_text(ann / f'{class_name}_test_split{split}.txt', ''.join(
                f'{video} {flag} \n' for video, flag in zip(
                    hmdb_videos(class_name), hmdb_flags(split))))
    write_tiny_videos(tmp_path / 'videos', [
        f'{c}/{v}' for c in ('brush_hair', 'wave') for v in hmdb_videos(c)])
    return tmp_path


def test_hmdb51_lists_exact(hmdb_root):
    assert HMDB.main(['--root', str(hmdb_root)]) == 0
    train1 = read_list(hmdb_root / 'hmdb51_train_split_1_videos.txt')
    assert len(train1) == 51
    assert train1[0] == f'brush_hair/{HMDB_ODD} 0'
    assert train1[45] == 'sword_exercise/sword_exercise_v0.avi 45'
    assert train1[50] == 'wave/wave_v0.avi 50'
    val1 = read_list(hmdb_root / 'hmdb51_val_split_1_videos.txt')
    assert val1[:2] == ['brush_hair/brush_hair_v1.avi 0',
                        'cartwheel/cartwheel_v1.avi 1']
    val3 = read_list(hmdb_root / 'hmdb51_val_split_3_videos.txt')
    assert val3[-1] == 'wave/wave_v0.avi 50'
    train2 = read_list(hmdb_root / 'hmdb51_train_split_2_videos.txt')
    assert train2[-1] == 'wave/wave_v1.avi 50'


def test_hmdb51_check_videos_counts_missing(hmdb_root, capsys):
    assert HMDB.main(['--root', str(hmdb_root), '--check-videos']) == 0
    assert read_list(hmdb_root / 'hmdb51_train_split_1_videos.txt') == [
        f'brush_hair/{HMDB_ODD} 0', 'wave/wave_v0.avi 50']
    printed = capsys.readouterr().out
    assert 'hmdb51_train_split_1_videos.txt: 2 videos, skipped 49 missing' \
        in printed


@pytest.mark.parametrize('name, text, message', [
    ('juggle_test_split1.txt', 'juggle_v0.avi 1\n',
     "juggle_test_split1.txt: unknown class 'juggle'"),
    ('kiss_test_split2.txt', 'kiss_v0.avi 1\nkiss_v1.avi 3\n',
     "kiss_test_split2.txt:2: split flag '3' is not 0 (unused), 1 (train) "
     'or 2 (test)'),
    ('kiss_test_split3.txt', 'kiss_v0.avi\n',
     'kiss_test_split3.txt:1: expected "<video>.avi <0|1|2>"'),
])
def test_hmdb51_bad_split_file_names_file_and_line(hmdb_root, capsys, name,
                                                   text, message):
    write_text(hmdb_root / 'testTrainMulti_7030_splits' / name, text)
    assert HMDB.main(['--root', str(hmdb_root)]) == 1
    err = capsys.readouterr().err
    assert err.startswith('error: ') and message in err


def test_hmdb51_missing_class_file(hmdb_root, capsys):
    os.remove(hmdb_root / 'testTrainMulti_7030_splits' /
              'pour_test_split2.txt')
    assert HMDB.main(['--root', str(hmdb_root)]) == 1
    assert 'pour_test_split2.txt' in capsys.readouterr().err


def test_hmdb51_missing_split_folder(tmp_path, capsys):
    assert HMDB.main(['--root', str(tmp_path), '--ann-dir',
                      str(tmp_path / 'splits')]) == 1
    err = capsys.readouterr().err
    assert err.startswith('error: the folder of the official HMDB51 split')
    assert str(tmp_path / 'splits') in err
