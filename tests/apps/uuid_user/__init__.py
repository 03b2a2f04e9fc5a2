"""A test app whose user model has a UUID primary key."""
