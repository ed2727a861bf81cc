"""Official XML schemas shipped with the package (data only, read with importlib.resources)."""
