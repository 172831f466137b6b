"""The collector: an ASGI app that stores xAPI statements in SQLite and relays them."""
