"""Schedule-only hooks."""
from .train_loss_plateau_hook import TrainLossPlateauHook  # noqa: F401
