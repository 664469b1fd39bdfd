"""Web app for the `signals` domain: Signaleren (signal checker).

Views call `ketenwijs.signals` (the pure core)."""
