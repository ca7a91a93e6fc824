"""Utilities: container adapters, sampler discovery and the public sampler checks."""

from .discovery import all_samplers

__all__ = ["all_samplers"]
