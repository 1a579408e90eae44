"""Regulatory sandbox: applications for controlled testing and the public register."""
