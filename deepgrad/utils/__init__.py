"""Utilities (data loading arrives with the training issue)."""
