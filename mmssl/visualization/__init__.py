"""Visualisation: MMAction2's visualizers and vis backends, via the parent registry."""
import mmaction.visualization  # noqa: F401  (fills the parent registry)
