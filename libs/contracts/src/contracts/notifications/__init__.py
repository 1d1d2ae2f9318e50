"""Events published by the notifications service."""
