"""Small interfaces to the outside world, each with a development transport."""
