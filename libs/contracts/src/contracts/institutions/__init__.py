"""Events published by the institutions service."""
