"""The Inbox tab: messages pasted from a chat group, read into request rows (pure)."""
