"""Breakout alerts: rules and messages, channels (Slack, email, webhook), delivery once per key."""
