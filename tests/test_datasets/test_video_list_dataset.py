"""VideoListDataset: validation of annotation lines and files."""
import os.path as osp

import pytest

from mmssl.datasets import AnnotationError, VideoListDataset


def make_list(tmp_path, text):
    ann = tmp_path / 'list.txt'
    ann.write_text(text)
    return str(ann)


def test_loads_entries_with_line_numbers_and_split(index_videos):
    ds = VideoListDataset(
        index_videos['ann'], [],
        data_prefix=dict(video=index_videos['root']),
        split_tag='train')
    assert len(ds) == 2
    info = ds.get_data_info(1)
    assert info['label'] == 1
    assert info['filename'].endswith('short.avi')
    assert info['ann_line'] == 2
    assert info['retrieval_split'] == 'train'


@pytest.mark.parametrize('line, why', [
    ('a.mp4 1 2', 'expected'),
    ('a.mp4 one', 'integer'),
    ('a.mp4 -3', 'label -3 is negative.*class indices 0, 1, 2'),
    ('a.mp4', 'no label.*allow_unlabelled'),
    ('a.mp4\t3', r"tab in .*delimiter is ' '.*delimiter='\\t'"),
    ('a.mp4  3', 'empty field.*double quotes'),
    ('"a b.mp4 3', 'unmatched double quote'),
    ('"a b.mp4"3', 'expected .* after the quoted path'),
])
def test_malformed_line_names_file_and_line(tmp_path, line, why):
    ann = make_list(tmp_path, f'ok.mp4 0\n\n{line}\n')
    (tmp_path / 'ok.mp4').write_bytes(b'x')
    with pytest.raises(AnnotationError, match=rf'list\.txt:3: .*{why}'):
        VideoListDataset(ann, [], data_prefix=dict(video=str(tmp_path)))


@pytest.mark.parametrize('label', [5, 3, -1])
def test_label_out_of_range_shows_the_valid_range(tmp_path, label):
    ann = make_list(tmp_path, f'ok.mp4 {label}\n')
    with pytest.raises(
            AnnotationError,
            match=rf'list\.txt:1: label {label} out of range.*valid labels '
            r'are 0\.\.2 \(num_classes=3\)'):
        VideoListDataset(
            ann, [],
            data_prefix=dict(video=str(tmp_path)),
            num_classes=3,
            missing_files='ignore')


def write_bytes_list(tmp_path, data):
    ann = tmp_path / 'list.txt'
    ann.write_bytes(data)
    return str(ann)


def test_non_utf8_bytes_name_file_line_and_byte(tmp_path):
    ann = write_bytes_list(tmp_path, b'ok.mp4 0\ncaf\xe9.mp4 1\n')
    with pytest.raises(
            AnnotationError,
            match=r'list\.txt:2: not UTF-8 text \(byte 0xe9 at column 4\)'):
        VideoListDataset(ann, [], missing_files='ignore')


def test_bom_crlf_quoted_paths_and_tabs_handled_as_documented(tmp_path):
    for name in ('ok.mp4', 'my video.mp4', 'café.mp4'):
        (tmp_path / name).write_bytes(b'x')
    ann = write_bytes_list(
        tmp_path, b'\xef\xbb\xbfok.mp4 0\r\n"my video.mp4" 1\r\n'
        b'caf\xc3\xa9.mp4 2\r\n')
    ds = VideoListDataset(ann, [], data_prefix=dict(video=str(tmp_path)))
    assert [osp.basename(ds.get_data_info(i)['filename'])
            for i in range(3)] == ['ok.mp4', 'my video.mp4', 'café.mp4']
    assert [ds.get_data_info(i)['label'] for i in range(3)] == [0, 1, 2]
    # a BOM inside the list (concatenated files) is named
    ann = write_bytes_list(tmp_path, b'ok.mp4 0\n\xef\xbb\xbfok.mp4 1\n')
    with pytest.raises(AnnotationError, match=r'list\.txt:2: .*byte-order'):
        VideoListDataset(ann, [], data_prefix=dict(video=str(tmp_path)))
    # tab-separated lists: say so
    ann = write_bytes_list(tmp_path, b'my video.mp4\t1\n')
    ds = VideoListDataset(
        ann, [], data_prefix=dict(video=str(tmp_path)), delimiter='\t')
    assert ds.get_data_info(0)['label'] == 1


def test_unlabelled_lines_when_allowed(tmp_path):
    (tmp_path / 'ok.mp4').write_bytes(b'x')
    ann = make_list(tmp_path, 'ok.mp4\n')
    ds = VideoListDataset(
        ann, [], data_prefix=dict(video=str(tmp_path)), allow_unlabelled=True)
    assert ds.get_data_info(0)['label'] == -1


def test_missing_file_raise_skip_ignore(tmp_path):
    (tmp_path / 'ok.mp4').write_bytes(b'x')
    ann = make_list(tmp_path, 'ok.mp4 0\ngone.mp4 1\n')
    prefix = dict(video=str(tmp_path))
    with pytest.raises(FileNotFoundError, match=r'list\.txt:2.*gone\.mp4'):
        VideoListDataset(ann, [], data_prefix=prefix)
    assert len(
        VideoListDataset(
            ann, [], data_prefix=prefix, missing_files='skip')) == 1
    assert len(
        VideoListDataset(
            ann, [], data_prefix=prefix, missing_files='ignore')) == 2


def test_missing_annotation_file_and_empty_list(tmp_path):
    with pytest.raises(FileNotFoundError, match='annotation file'):
        VideoListDataset(str(tmp_path / 'none.txt'), [])
    ann = make_list(tmp_path, '\n\n')
    with pytest.raises(AnnotationError, match='no usable entries'):
        VideoListDataset(ann, [])
