"""A test app whose user model logs in with its email and has no username field."""
