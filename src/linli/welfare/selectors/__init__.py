"""Social assistance's scoped reads, one module per stage (`rules`, `applications`, `roll`,
`relief`); callers import the module they need."""
