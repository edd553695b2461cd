"""VideoListDataset: validation of annotation lines and files."""
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
    ('a.mp4 -3', 'out of range'),
])
def test_malformed_line_names_file_and_line(tmp_path, line, why):
    ann = make_list(tmp_path, f'ok.mp4 0\n\n{line}\n')
    (tmp_path / 'ok.mp4').write_bytes(b'x')
    with pytest.raises(AnnotationError, match=rf'list\.txt:3: .*{why}'):
        VideoListDataset(ann, [], data_prefix=dict(video=str(tmp_path)))


def test_label_beyond_num_classes(tmp_path):
    ann = make_list(tmp_path, 'ok.mp4 5\n')
    with pytest.raises(AnnotationError, match='list.txt:1'):
        VideoListDataset(
            ann, [],
            data_prefix=dict(video=str(tmp_path)),
            num_classes=3,
            missing_files='ignore')


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
