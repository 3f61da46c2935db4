"""What this app announces to apps above it (the time bank) without knowing them.

`hours_approved` is sent inside the transaction that makes a `ServiceHours` row countable
(check-out completed, reported hours approved, a proxy entry or a correction written), once per
row, with keyword arguments:

- `hours_id` (UUID): the row's public id;
- `volunteer_id` (UUID): the volunteer's public id;
- `minutes` (int): negative for a correction that takes minutes back;
- `served_path` (str): the community where the service was done;
- `registered_path` (str): the volunteer's home community (where the hours also count);
- `approved_at` (datetime).

A receiver that raises rolls the approval back (the row does not become countable), so a
receiver must only fail for a reason that should stop the approval.
"""

from django.dispatch import Signal

hours_approved = Signal()
