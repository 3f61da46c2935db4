"""Rules of charity and micro-funds with no ORM."""
