"""HTTP API `/api/v1/` (spec §4.5): the core's contracts over HTTP, with per-organisation tokens."""
