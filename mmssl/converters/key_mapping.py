"""Rename the keys of a released state dict into mmssl / MMAction2 keys.

A converter is an ordered list of :class:`KeyRule` (regular expression ->
replacement, first match wins) plus an explicit list of :class:`DropRule`
(keys that have no counterpart in the backbone, e.g. the pretext head,
each with the reason). Every source key must be renamed or dropped by a
rule: an unknown key is an error, never silently lost.
"""
import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch


class ConversionError(RuntimeError):
    """A released checkpoint does not fit the converter's expectations."""


@dataclass(frozen=True)
class KeyRule:
    """Rename keys matching ``pattern`` (``re.fullmatch``) to
    ``replacement``: a template (``re`` group references allowed, e.g.
    ``r'\\1'``) or a function of the match (for index arithmetic, e.g.
    VCOP's ``conv2`` is MMAction2's ``layer1``)."""
    pattern: str
    replacement: Union[str, Callable[[re.Match], str]]

    def apply(self, key: str):
        """The new key, or None if ``key`` does not match."""
        match = re.fullmatch(self.pattern, key)
        if match is None:
            return None
        if callable(self.replacement):
            return self.replacement(match)
        return match.expand(self.replacement)


@dataclass(frozen=True)
class DropRule:
    """Drop keys matching ``pattern`` (``re.fullmatch``), for ``reason``."""
    pattern: str
    reason: str

    def matches(self, key: str) -> bool:
        """Whether ``key`` is dropped by this rule."""
        return re.fullmatch(self.pattern, key) is not None


@dataclass
class ConversionReport:
    """What a conversion did: renamed, dropped (with reason) and filled keys."""
    renamed: Dict[str, str] = field(default_factory=dict)
    dropped: Dict[str, str] = field(default_factory=dict)
    filled: Dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        """One line per dropped/filled reason with its key count."""
        lines = [f'{len(self.renamed)} keys renamed']
        for title, table in (('dropped', self.dropped), ('filled', self.filled)):
            reasons: Dict[str, int] = {}
            for reason in table.values():
                reasons[reason] = reasons.get(reason, 0) + 1
            lines += [f'{n} keys {title}: {r}' for r, n in reasons.items()]
        return '\n'.join(lines)


def rename_keys(state: Dict[str, torch.Tensor],
                rules: Sequence[KeyRule],
                drops: Sequence[DropRule] = (),
                report: Optional[ConversionReport] = None
                ) -> Tuple[Dict[str, torch.Tensor], ConversionReport]:
    """Apply ``drops`` then ``rules`` to every key of ``state``.

    Args:
        state (dict[str, Tensor]): Source state dict (prefix already
            selected, see :func:`select_prefix`).
        rules (Sequence[KeyRule]): Renames, first match wins.
        drops (Sequence[DropRule]): Keys without a target, with reasons.
        report (ConversionReport, optional): Report to add to.

    Returns:
        tuple: the renamed state dict and a :class:`ConversionReport`.

    Raises:
        ConversionError: listing every key no rule covers, and every pair
            of source keys renamed to the same target.
    """
    out: Dict[str, torch.Tensor] = {}
    report = ConversionReport() if report is None else report
    unknown: List[str] = []
    for key, value in state.items():
        drop = next((d for d in drops if d.matches(key)), None)
        if drop is not None:
            report.dropped[key] = drop.reason
            continue
        new_key = next((k for k in (r.apply(key) for r in rules)
                        if k is not None), None)
        if new_key is None:
            unknown.append(key)
            continue
        if new_key in out:
            previous = next(s for s, t in report.renamed.items()
                            if t == new_key)
            raise ConversionError(f'source keys "{previous}" and "{key}" '
                                  f'both map to "{new_key}"')
        out[new_key] = value
        report.renamed[key] = new_key
    if unknown:
        raise ConversionError(
            f'{len(unknown)} source keys match no conversion rule (is this '
            f'the right --source?): {unknown[:12]}'
            f'{" ..." if len(unknown) > 12 else ""}')
    return out, report


def select_prefix(state: Dict[str, torch.Tensor], prefixes: Sequence[str],
                  report: ConversionReport) -> Dict[str, torch.Tensor]:
    """Keep the keys under the first of ``prefixes`` present in ``state``
    (prefix removed); the others are recorded as dropped.

    Released checkpoints wrap the backbone differently (``module.`` from
    DataParallel, ``base_network.`` in VCOP/PRP, ``encoder_q.encoder.`` in
    RSPNet ...). An empty string in ``prefixes`` selects every key.

    Raises:
        ConversionError: if no key starts with any of ``prefixes``.
    """
    for prefix in prefixes:
        if any(k.startswith(prefix) for k in state):
            kept = {}
            for key, value in state.items():
                if key.startswith(prefix):
                    kept[key[len(prefix):]] = value
                else:
                    report.dropped[key] = f'outside the backbone ' \
                                          f'prefix "{prefix}"'
            return kept
    groups = sorted({k.split('.')[0] for k in state})
    raise ConversionError(f'no key starts with any of {list(prefixes)}; '
                          f'top-level key groups are {groups[:12]}')


def fill_num_batches_tracked(state: Dict[str, torch.Tensor],
                             report: ConversionReport) -> None:
    """Add ``num_batches_tracked`` (0) to BN layers of checkpoints written
    before PyTorch 0.4.1, which lack it; recorded in ``report.filled``."""
    for key in list(state):
        if key.endswith('.running_mean'):
            counter = key[:-len('running_mean')] + 'num_batches_tracked'
            if counter not in state:
                state[counter] = torch.tensor(0, dtype=torch.long)
                report.filled[counter] = 'BN counter absent in the source'
