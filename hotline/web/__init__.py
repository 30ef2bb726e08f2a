"""Channels: parse, authorise, call one service, render. No business rule lives here."""
