"""Web commands of ``kg``: ``serve``, ``push`` and ``publish static``; registered by kg/cli.py.

Each command builds its inputs, calls one function, renders the result and returns an exit code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .errors import InputError

OUT_OPT = typer.Option(None, "--out", help="Output folder holding the built graph (default: build/).")
BASE_OPT = typer.Option(None, "--base-iri", help="Base IRI of the data (default: the project's).")


def _echo_response(status: int, headers: list[tuple[str, str]], body: bytes, include: bool) -> None:
    if include:
        lines = [f"HTTP {status}"] + [f"{k}: {v}" for k, v in headers] + ["", ""]
        sys.stdout.buffer.write("\r\n".join(lines).encode("latin-1"))
    sys.stdout.buffer.write(body)
    sys.stdout.flush()


def _headers(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition(":")
        if not sep or not name.strip():
            raise InputError(f"--header {pair}: expected 'Name: value'")
        out[name.strip()] = value.strip()
    return out


def _check_base(settings) -> None:
    """Refuse to serve a release built with another base IRI: every IRI would be a 404."""
    from .server.describe import data_base
    from .server.release import ReleaseWatch

    built = data_base(ReleaseWatch(settings.out).snapshot().store)
    if built and built != settings.base_iri:
        raise InputError(f"the built graph's base IRI is {built}, not {settings.base_iri}",
                         hint=f"serve with --base-iri {built}, or rebuild with the base you want")


def register(app: typer.Typer, handled, settings_for) -> None:
    """Add ``serve``, ``push`` and ``publish static`` to the ``kg`` app."""
    app.command()(handled(serve_command(settings_for)))
    app.command("push")(handled(push_command(settings_for)))
    publish = typer.Typer(help="Publish the built graph without a running kg process.", no_args_is_help=True)
    publish.callback()(lambda: None)
    publish.command("static")(handled(static_command(settings_for)))
    app.add_typer(publish, name="publish")


def serve_command(settings_for):
    def serve(host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
              port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
              out: Optional[Path] = OUT_OPT, base_iri: Optional[str] = BASE_OPT,
              get: Optional[str] = typer.Option(None, "--get", help="Print the response to one GET of this path "
                                                "and exit, without opening a socket."),
              header: List[str] = typer.Option([], "--header", "-H", help="A request header for --get, 'Name: value'."),
              include: bool = typer.Option(False, "--include", "-i", help="With --get, print status and headers too."),
              timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Seconds a SPARQL query may run."),
              max_rows: int = typer.Option(10_000, "--max-rows", min=1, help="Rows (or triples) in one answer."),
              workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Query worker processes."),
              max_body: int = typer.Option(1_000_000, "--max-body", min=1024, help="Bytes of a request body.")):
        """Serve the built graph: SPARQL endpoint, pages, content negotiation, dumps, VoID."""
        from .server.app import Limits, create_app

        settings = settings_for(None, out, base_iri)
        _check_base(settings)
        limits = Limits(timeout=timeout, max_rows=max_rows, max_body=max_body,
                        **({"workers": workers} if workers else {}))
        web = create_app(settings, limits)
        if get is not None:
            return _serve_get(web, get, _headers(header), include)
        return _run_uvicorn(web, host, port, limits)

    return serve


def _serve_get(web, path: str, headers: dict[str, str], include: bool) -> int:
    from .server.oneshot import get as one_get

    if not path.startswith("/"):
        raise InputError(f"--get {path}: give a path starting with /")
    try:
        status, response_headers, body = one_get(web, path, headers)
    finally:
        web.state.server.pool.close()
    _echo_response(status, response_headers, body, include)
    return 0 if status < 400 else 3 if status < 500 else 4


def _run_uvicorn(web, host: str, port: int, limits) -> int:
    import uvicorn

    from .server.protocol import HeadTimeoutProtocol

    typer.echo(f"kg: serving on http://{host}:{port}{web.state.server.site.root} (Ctrl-C to stop)", err=True)
    uvicorn.run(web, host=host, port=port, log_level="warning", limit_concurrency=limits.max_inflight * 2,
                timeout_keep_alive=5, h11_max_incomplete_event_size=limits.max_url + 16_384,
                http=HeadTimeoutProtocol)  # closes connections that never finish their request
    return 0


def push_command(settings_for):
    def push(endpoint: str = typer.Option(..., "--endpoint", help="The server's SPARQL query endpoint."),
             graph_store: Optional[str] = typer.Option(None, "--graph-store", help="Its Graph Store Protocol URL "
                                                       "(default: the endpoint)."),
             user: Optional[str] = typer.Option(None, "--user", envvar="KG_REMOTE_USER",
                                                help="User name for HTTP authentication (or KG_REMOTE_USER)."),
             password: Optional[str] = typer.Option(None, "--password", envvar="KG_REMOTE_PASSWORD",
                                                    help="Password (better: set KG_REMOTE_PASSWORD)."),
             prune: bool = typer.Option(False, "--prune", help="Also delete remote graphs under the base IRI "
                                        "that this build no longer has."),
             timeout: int = typer.Option(300, "--timeout", min=1, help="Seconds for each HTTP request."),
             out: Optional[Path] = OUT_OPT):
        """Push the built graph into a SPARQL server, one named graph at a time (PUT: idempotent).

        A bearer token is read from KG_REMOTE_TOKEN."""
        from .publish.dumps import load_context, prefixes_of
        from .remote import Auth, push as run_push
        from .store import open_store

        settings = settings_for(None, out)
        auth = Auth(user=user, password=password, token=os.environ.get("KG_REMOTE_TOKEN") or None)
        context = settings.ontology / "context.jsonld"
        prefixes = {k: v for k, v in prefixes_of(load_context(context)).items() if k != "id"} if context.is_file() else {}
        report = run_push(open_store(settings.out), graph_store or endpoint, endpoint=endpoint, auth=auth,
                          prefixes=prefixes, prune_under=settings.base_iri + "graph/" if prune else None,
                          timeout=timeout)
        typer.echo(f"Pushed {len(report.graphs)} graphs ({report.triples} triples) to {report.graph_store}"
                   + (f"; removed {len(report.pruned)} stale graphs" if report.pruned else "") + ".")
        return 0

    return push


def static_command(settings_for):
    def static(target: Path = typer.Argument(..., help="Folder to write the site into (created; must be empty "
                                             "unless --force)."),
               force: bool = typer.Option(False, "--force", help="Write into a folder that is not empty."),
               out: Optional[Path] = OUT_OPT, base_iri: Optional[str] = BASE_OPT):
        """Write the pages and per-resource Turtle, N-Triples and JSON-LD as a static site,
        with nginx and Apache rules for content negotiation."""
        from .publish.static import write_site

        settings = settings_for(None, out, base_iri)
        _check_base(settings)
        report = write_site(settings, target, force=force)
        typer.echo(f"Wrote {report.resources} resources ({report.files} files) to {target}.")
        typer.echo(f"Server rules: {target / 'nginx.conf'} and {target / '.htaccess'}")
        return 0

    return static
