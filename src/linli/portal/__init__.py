"""Portal: the resident portal (`/`, mobile-first, elder mode) and the staff workbench
(`/staff/`): base templates, navigation, home pages, the org tree browser and the demo city."""
