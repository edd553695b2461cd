"""Relative links in README.md, docs/ and the configs' READMEs resolve
(files and, for Markdown targets, #anchors), and docs/README.md leads to
every page of docs/."""
import glob
import os.path as osp
import re
from functools import lru_cache

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
LINK = re.compile(r'!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?'
                  r'(?:\s+"[^"]*")?\s*\)')
FENCE = re.compile(r'^(```|~~~)')


def markdown_files():
    files = [osp.join(REPO, 'README.md')]
    files += glob.glob(osp.join(REPO, 'docs', '**', '*.md'), recursive=True)
    files += glob.glob(osp.join(REPO, 'configs', '**', 'README.md'),
                       recursive=True)
    return sorted(files)


def prose_lines(path):
    """(line number, text) outside fenced code blocks, inline code removed."""
    inside = False
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if FENCE.match(line.strip()):
                inside = not inside
                continue
            if not inside:
                yield number, re.sub(r'`[^`]*`', '', line)


def github_slug(heading: str) -> str:
    """GitHub's anchor of a heading: the rendered text lower-cased, without
    punctuation other than '-' and '_', spaces as '-'."""
    text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', heading)  # links
    text = text.replace('`', '').replace('*', '')
    text = re.sub(r'[^\w\- ]', '', text.strip().lower())
    return text.replace(' ', '-')


@lru_cache(maxsize=None)
def anchors(path):
    found, seen = set(), {}
    inside = False
    with open(path, encoding='utf-8') as f:
        for line in f:
            if FENCE.match(line.strip()):
                inside = not inside
            elif not inside and re.match(r'#{1,6} ', line):
                slug = github_slug(line.lstrip('#'))
                count = seen.get(slug, 0)
                seen[slug] = count + 1
                found.add(slug if count == 0 else f'{slug}-{count}')
    return found


def broken_links(path):
    broken = []
    for number, line in prose_lines(path):
        for target in LINK.findall(line):
            if re.match(r'[a-z][a-z0-9+.-]*:', target, re.I):
                continue  # http:, https:, mailto: ...
            file_part, _, anchor = target.partition('#')
            resolved = (osp.normpath(osp.join(osp.dirname(path), file_part))
                        if file_part else path)
            where = f'{osp.relpath(path, REPO)}:{number}: {target}'
            if not osp.exists(resolved):
                broken.append(f'{where} (no such file)')
            elif anchor and resolved.endswith('.md') and \
                    anchor not in anchors(resolved):
                broken.append(f'{where} (no heading #{anchor})')
    return broken


@pytest.mark.parametrize(
    'path', markdown_files(), ids=lambda p: osp.relpath(p, REPO))
def test_relative_links_resolve(path):
    assert broken_links(path) == []


def test_github_slug():
    assert github_slug(' Into an existing MMAction2 / CUDA environment') == \
        'into-an-existing-mmaction2--cuda-environment'
    assert github_slug('`ann_file` and *data_root*: 2.0') == \
        'ann_file-and-data_root-20'


def test_link_checker_reports_missing_files_and_anchors(tmp_path):
    page = tmp_path / 'page.md'
    (tmp_path / 'other.md').write_text('# Title here\n')
    page.write_text('[ok](other.md#title-here) [a](missing.md)\n'
                    '[b](other.md#nope) [web](https://x.org/y)\n'
                    '```\n[in code](nowhere.md)\n```\n')
    assert [b.split(': ', 1)[1] for b in broken_links(str(page))] == [
        'missing.md (no such file)', 'other.md#nope (no heading #nope)'
    ]


def linked_pages(path):
    """Existing Markdown files that ``path`` links to (anchors dropped)."""
    pages = set()
    for _, line in prose_lines(path):
        for target in LINK.findall(line):
            file_part = target.partition('#')[0]
            if file_part.endswith('.md') and not re.match(r'[a-z]+:', target):
                page = osp.normpath(osp.join(osp.dirname(path), file_part))
                if osp.isfile(page):
                    pages.add(page)
    return pages


def test_docs_index_reaches_every_page():
    """Every page of docs/ is linked from docs/README.md, directly or
    through pages it links (e.g. docs/protocols/README.md)."""
    docs = osp.join(REPO, 'docs')
    index = osp.normpath(osp.join(docs, 'README.md'))
    reached, todo = {index}, [index]
    while todo:
        for page in linked_pages(todo.pop()):
            if page.startswith(docs + osp.sep) and page not in reached:
                reached.add(page)
                todo.append(page)
    pages = {
        osp.normpath(p)
        for p in glob.glob(osp.join(docs, '**', '*.md'), recursive=True)
    }
    missing = sorted(osp.relpath(p, REPO) for p in pages - reached)
    assert missing == [], f'pages not reachable from docs/README.md: {missing}'
