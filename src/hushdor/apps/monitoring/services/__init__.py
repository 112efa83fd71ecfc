"""Writes and rules of the monitoring app, one module per use case family:

association    origin_receive: one earthquake, one event, across agencies and revisions
chain          event_changed: what happens after an event changed (assessment, then the warning)
notifications  operator_notify / notification_resolve / notification_acknowledge
polling        sources_poll_due / source_poll: fetch feeds, keep source health
shakemaps      shakemaps_render_pending: draw the PNG shakemaps, off the warning path (worker job)
"""
