"""Facilities and the 15-minute life circle (issue 6): the registry of community facilities, the
area standards, walking coverage on the road network, gaps and suggested sites. So far: the
engines (`coverage`, `siting`), plain Python tested without a database."""
