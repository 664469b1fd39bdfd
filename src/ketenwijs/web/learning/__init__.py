"""Web app for the `learning` domain: Herkennen (learning).

Views call `ketenwijs.learning` (the pure core)."""
