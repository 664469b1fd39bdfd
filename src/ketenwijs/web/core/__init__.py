"""Core web pieces: layout, landing and home pages, health check, error pages, set-up commands."""
