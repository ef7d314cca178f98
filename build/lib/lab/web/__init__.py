"""What the lab's HTTP servers share (the payment sandbox, the store, the farm dashboard):
ASGI pieces that sit in front of their routes."""
