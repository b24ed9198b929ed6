"""Notification services, one module per job:

* ``delivery``: store each notice once per event and recipient, commit it, then email it once;
* ``transition_notices``: who hears about a match transition, and the resend of lost notices;
* ``digest``: the daily review digest for coordinators;
* ``expiry_reminders``: reminders before a required training or background check expires;
* ``reading``: marking notices read.

Every service is safe to run twice, and costs the same number of queries for 2 people as for 20.
"""
