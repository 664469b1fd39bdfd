"""Web app for the `sharing` domain: Delen (information sharing).

Views call `ketenwijs.sharing` (the pure core)."""
