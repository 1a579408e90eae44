"""Venture fund: funds, calls, applications, conflict-checked reviews, decisions and
disbursement tranches."""
