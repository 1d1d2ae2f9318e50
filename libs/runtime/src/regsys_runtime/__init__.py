"""Shared runtime of the regsys services. Everything here is used by more than one service."""
