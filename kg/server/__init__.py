"""The web app of ``kg serve``: a read-only SPARQL endpoint, dereferenceable IRIs, HTML pages,
the query page, dumps and the VoID description.  See :mod:`kg.server.app`."""


def create_app(settings, limits=None):
    """The Starlette app for ``settings`` (imported lazily: worker processes need none of it)."""
    from .app import create_app as make

    return make(settings, limits)
