"""Events published by the licensing service."""
