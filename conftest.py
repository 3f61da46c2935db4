# Shared fixtures for every test folder live in src/linli/testing.py.
pytest_plugins = ["linli.testing"]
