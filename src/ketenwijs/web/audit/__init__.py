"""Web app for the `audit` domain: Verantwoorden (decision log).

Views call `ketenwijs.audit` (the pure core)."""
