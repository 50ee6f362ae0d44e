"""Domain flows: the lifecycles of Stripe objects, with no HTTP in them.

Layers are stacked one way, each importing only those below it:
connect and checkout -> billing -> payments. Route handlers (`_routes/`) parse
parameters, call a flow and return the object it made.
"""
