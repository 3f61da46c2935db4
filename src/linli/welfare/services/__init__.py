"""Social assistance's writes, one module per stage (`rules`, `applications`, `roll`, `relief`);
callers import the module they need."""
