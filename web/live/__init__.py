"""Live updates: Socket.IO, and the relay that batches the hub's events for it."""
