"""A test app whose user model has extra required fields, one of them a foreign key."""
