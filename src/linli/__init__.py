"""Linli (邻里): a city's urban-rural community service platform."""
