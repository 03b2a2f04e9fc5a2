"""A test app whose user model stores its email in a field not called ``email``."""
