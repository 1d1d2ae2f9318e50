"""Events published by the applications service."""
