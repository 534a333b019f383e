"""The synthetic batch the demo and the tests grade (no real person's data)."""
