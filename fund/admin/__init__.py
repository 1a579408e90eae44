"""The fund managers' side of the venture fund in the Wagtail admin: the applications queue and
each application's page (pipeline steps, reviewers, the committee's decision, tranches), the
tranches queue and each tranche's page, the fund dashboard and the fund's capital and deadlines.

The generic listings only read; every change goes through `fund.services` on these pages, so the
rules, the audit log and the notifications are the same as everywhere else.
"""
