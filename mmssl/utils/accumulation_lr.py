"""Learning-rate scaling that counts gradient-accumulation steps.

MMEngine's ``auto_scale_lr`` (``Runner.scale_lr``) multiplies the learning
rate by ``world_size * batch_size / base_batch_size``. It ignores
``optim_wrapper.accumulative_counts``, although with ``K`` accumulation
steps one optimizer step sees ``K * world_size * batch_size`` samples. A
run that replaces GPUs by accumulation would train with a ``K`` times too
small learning rate. :func:`account_for_accumulation` divides
``base_batch_size`` by ``K`` before the runner is built, so MMEngine's
ratio becomes ``K * world_size * batch_size / base_batch_size`` (linear
scaling rule, Goyal et al., "Accurate, Large Minibatch SGD", 2017).
"""
from mmengine.config import Config
from mmengine.logging import print_log


def account_for_accumulation(cfg: Config) -> int:
    """Make an enabled ``auto_scale_lr`` count accumulation steps.

    Args:
        cfg (Config): The full config (after command-line overrides).

    Returns:
        int: The accumulation count ``K`` taken into account (1 when the
        config does not accumulate or does not scale the lr).
    """
    scale = cfg.get('auto_scale_lr')
    wrapper = cfg.get('optim_wrapper') or {}
    counts = int(wrapper.get('accumulative_counts', 1) or 1)
    if not scale or not scale.get('enable', False) or counts == 1:
        return 1
    base = scale['base_batch_size']
    scale['base_batch_size'] = base / counts
    print_log(
        f'auto_scale_lr: optim_wrapper.accumulative_counts={counts}, so one '
        f'optimizer step sees {counts} x world_size x batch_size samples; '
        f'base_batch_size {base} is compared as {base / counts:g} '
        '(MMEngine\'s scale_lr ignores accumulation)',
        logger='current')
    return counts
