"""Emails about an account (verification, password reset and change), sent by the worker."""
