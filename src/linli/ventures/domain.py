"""Rules of venture projects with no ORM."""
