"""The hotlines' use cases: inbound SMS, voice calls, MMS media, the operators' console."""
