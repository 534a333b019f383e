"""One training batch on disk: the workspace, its roster, its settings (kohort.toml) and the guard
that keeps its gradebook whole."""
