"""Accounts: users, roles, postings (role + org unit, grid or department) and API tokens.

Builds the `Actor` for every request, command and task: its data scope is the union of the
subtrees of the account's active postings.
"""
