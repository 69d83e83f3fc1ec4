"""Helpers the tests share: a static file server and access to real browsers and checkers."""
