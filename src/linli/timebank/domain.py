"""Rules of time bank with no ORM."""
