"""The web app's routes, one module per part of the site; each parses, calls one service,
renders."""
