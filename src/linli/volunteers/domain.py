"""Rules of volunteers with no ORM."""
