"""Facilities and the 15-minute life circle: the facility registry, the area standards of
community service facilities and shelters, walking coverage on the road network (engine in
`coverage`), suggested sites (engine in `siting`), road files (`roads`) and dated analysis runs."""
