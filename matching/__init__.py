"""Matching calls to members, the coordinator's review, and notifying members exactly once.

Entry points (plain functions over a session, called by the CLI, the flows and the web app):
``match_calls`` and ``flag_calls`` (matching.store), ``confirm_call`` / ``dismiss_call``
(matching.review), ``mark_not_relevant`` / ``unsubscribe`` (matching.feedback),
``enqueue_notifications`` (matching.outbox) and ``send_due`` (matching.sender).
"""
