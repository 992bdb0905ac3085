"""Campaigns: citizens' subscriptions, the approval workflow, durable broadcast delivery.

topics.py         content/subscriptions.yaml (topics, quiet hours)
subscriptions.py  who opted in to what; the audience of a campaign
service.py        the workflow draft -> review -> scheduled -> sending -> sent (audited)
render.py         templates, message parts per channel, previews
outbox.py         the durable outbox: fill, claim, record, recover, progress, stats
worker.py         sends at each channel's limits, honours 429, quiet hours, resumes after a crash
calendar.py       a communication plan -> draft campaigns + KPI targets
cli.py            `loaxa campaign …`, `loaxa plan calendar …`
See docs/campaigns.md.
"""
