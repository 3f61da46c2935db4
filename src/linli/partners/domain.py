"""Rules of social organisations with no ORM."""
