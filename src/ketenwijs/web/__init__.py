"""The web layer: a Django project whose apps mirror the domain packages and call the pure core."""
