"""Resident information pool (常住人口信息池): households and residents. Personal information
lives only here: ID numbers and phones are sealed (AES-GCM) with a blind index for exact lookup
and a stored mask for display. Other apps read masked values through `residents.selectors`."""
