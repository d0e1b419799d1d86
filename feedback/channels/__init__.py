"""Inbound adapters: each turns a provider's request into calls to the services."""
