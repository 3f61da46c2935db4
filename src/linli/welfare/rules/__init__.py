"""The rules of social assistance as code, with OpenFisca: entities (person, household),
variables with formulas, and every amount and threshold as a dated parameter (YAML shipped as
clearly marked example values, plus the admin's dated edits). No Django and no database here."""
