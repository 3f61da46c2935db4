"""Areas: the organisation tree (city → district → street → community/village, by NBS statistical
division code), grids and buildings below communities, and functional departments.

Every node carries a `path`: the significant prefix of its code (city 4 digits, district 6,
street 9, community 12; grids and buildings extend their parent). "Is X under Y" is
`X.path.startswith(Y.path)`, an indexed prefix match in the database.
"""
