"""The staff web app (``handout serve``): make, preview and download handouts from a browser.

A thin shell over the same build and checks as the command line: the routes
are in :mod:`.app`, the library and its queue in :mod:`.jobs`, the staff
password and API tokens in :mod:`.staff`.
"""
