"""Token strategies: what a completed social login returns to the client."""
