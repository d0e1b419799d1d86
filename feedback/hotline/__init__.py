"""Hotline webhooks: Twilio SMS and voice, and the local SMS gateway.
Each authenticates the request, records it idempotently, and answers fast."""
