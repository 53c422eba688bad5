"""The ``kg`` command line: a thin layer over the pipeline stages.

Each command builds its inputs, calls one function, renders the result and returns an exit
code: 0 success, 1 the graph does not conform, 2 a wrong command line, 3 bad input,
4 an internal error (``--debug`` shows the traceback).
"""

from __future__ import annotations

import functools
import json
import sys
import traceback
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .config import Settings, project_root
from .errors import InputError, KgError, NotConforming, one_line

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Turn documents on atrocity crimes into a validated linked-data knowledge graph.")
STATE = {"debug": False}


def err(message: str) -> None:
    typer.echo(f"kg: {message}", err=True)


def handled(func):
    """Turn domain errors into one line on stderr and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            code = func(*args, **kwargs)
        except typer.Exit:
            raise
        except NotConforming as error:
            err(f"error: {one_line(error.message)}")
            raise typer.Exit(1)
        except KgError as error:
            err(f"error: {error}")
            raise typer.Exit(error.exit_code)
        except KeyboardInterrupt:
            err("interrupted; the previous build is kept")
            raise typer.Exit(130)
        except Exception as error:  # noqa: BLE001 - the edge of the program
            if STATE["debug"]:
                traceback.print_exc()
            err(f"internal error: {type(error).__name__}: {one_line(str(error).splitlines()[0]) if str(error) else ''} "
                "(run with --debug for the traceback)")
            raise typer.Exit(4)
        raise typer.Exit(code or 0)

    return wrapper


@app.callback()
def main_options(debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors.")):
    STATE["debug"] = debug


def settings_for(seeds: Optional[Path] = None, out: Optional[Path] = None, base_iri: Optional[str] = None,
                 jobs: Optional[int] = None, **limits: Optional[int]) -> Settings:
    """The project's settings (kg.toml), overridden by what the command line gives."""
    root = project_root()
    settings = Settings.for_project(root, seeds=seeds.resolve() if seeds else None,
                                    out=out.resolve() if out else None, jobs=jobs, **limits)
    if base_iri:
        if not base_iri.startswith(("http://", "https://")) or not base_iri.endswith(("/", "#")):
            raise InputError(f"--base-iri {base_iri}: must be an http(s) IRI ending in '/' or '#'",
                             hint="end it in / or #, as https://example.org/id/")
        settings = settings.with_(base_iri=base_iri)
    return settings


SEEDS_ARG = typer.Argument(None, help="Folder of documents (default: the project's seeds/).", show_default=False)
OUT_OPT = typer.Option(None, "--out", help="Output folder for the store and dumps (default: build/).")
MAX_BYTES_OPT = typer.Option(None, "--max-document-bytes", min=1,
                             help="Refuse a document bigger than this (default: max_document_bytes in kg.toml, 50000000).")
MAX_DOCS_OPT = typer.Option(None, "--max-documents", min=1,
                            help="Refuse a folder with more documents (default: max_documents in kg.toml, 200000).")


@app.command()
@handled
def build(seeds: Optional[Path] = SEEDS_ARG, out: Optional[Path] = OUT_OPT,
          base_iri: Optional[str] = typer.Option(None, "--base-iri", help="Base IRI for the data."),
          jobs: Optional[int] = typer.Option(None, "--jobs", min=1, help="Processes for validation."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
          max_document_bytes: Optional[int] = MAX_BYTES_OPT, max_documents: Optional[int] = MAX_DOCS_OPT,
          wait: float = typer.Option(0.0, "--wait", min=0.0, metavar="SECONDS",
                                     help="If another build holds the store, wait up to SECONDS for it "
                                          "(default: refuse at once)."),
          full: bool = typer.Option(False, "--full",
                                    help="Load, validate and dump every graph, even when the last build "
                                         "could be built on.")):
    """Build the graph from SEEDS: extract, link, validate, load the store, write the dumps.

    A rebuild extracts only the documents that were added or changed, and, when most graphs are
    unchanged, loads, validates and dumps only the graphs that changed."""
    from .pipeline import build as run_build

    from .progress import TerminalProgress

    settings = settings_for(seeds, out, base_iri, jobs, max_document_bytes=max_document_bytes,
                            max_documents=max_documents)
    with TerminalProgress(enabled=False if quiet else None) as progress:
        result = run_build(settings, progress, wait=wait, full=full)
    for warning in result.warnings:
        err(f"warning: {warning}")
    if not quiet:
        typer.echo(f"Built {result.documents} documents, {result.quads} quads; the graph conforms."
                   + (" (Built on the last build: only the changed graphs were loaded, validated and dumped.)"
                      if result.reused else ""))
        typer.echo(f"Store: {settings.store_path}")
        typer.echo(f"Dumps: {settings.dumps_path}/graph.{{ttl,nt,nq,trig,jsonld}}")
    return 0


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    turtle = "turtle"


class Engine(str, Enum):
    sparql = "sparql"
    pyshacl = "pyshacl"


@app.command()
@handled
def validate(seeds: Optional[Path] = SEEDS_ARG, out: Optional[Path] = OUT_OPT,
             store: bool = typer.Option(False, "--store", help="Validate the built store instead of the sources."),
             format: ReportFormat = typer.Option(ReportFormat.text, "--format", help="Report format."),
             jobs: Optional[int] = typer.Option(None, "--jobs", min=1, help="Processes for validation."),
             engine: Engine = typer.Option(Engine.sparql, "--engine",
                                           help="sparql: the shapes as SPARQL queries over an Oxigraph store (fast; "
                                                "pyshacl is used if the shapes need it); pyshacl: the reference "
                                                "engine, document graph by document graph."),
             max_document_bytes: Optional[int] = MAX_BYTES_OPT, max_documents: Optional[int] = MAX_DOCS_OPT):
    """Validate the graph against the SHACL shapes: exit 0 conforms, 1 violations, 3 bad input."""
    from .pipeline import compile_graph, validate_compiled, validate_store

    settings = settings_for(seeds, out, None, jobs, max_document_bytes=max_document_bytes,
                            max_documents=max_documents)
    report = (validate_store(settings, engine=engine.value) if store
              else validate_compiled(settings, compile_graph(settings), engine=engine.value))
    rendered = {"text": report.text, "json": report.to_json, "turtle": report.to_turtle}[format.value]()
    typer.echo(rendered)
    return 0 if report.conforms else 1


class ResultFormat(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    xml = "xml"


@app.command()
@handled
def query(name: Optional[str] = typer.Argument(None, help="A stock query name, or a .rq file."),
          sparql: Optional[str] = typer.Option(None, "--sparql", help="A SPARQL query string."),
          param: List[str] = typer.Option([], "--param", "-p", help="A parameter as key=value (repeatable)."),
          format: ResultFormat = typer.Option(ResultFormat.table, "--format", help="Output format."),
          endpoint: Optional[str] = typer.Option(None, "--endpoint", help="Run on a remote SPARQL endpoint."),
          out: Optional[Path] = OUT_OPT):
    """Run a stock query by name, a query file or --sparql TEXT on the built graph."""
    from .queries import bind, parse_params, resolve_query, run_local
    from .store import open_store, reading

    settings = settings_for(None, out)
    q = resolve_query(name, sparql, settings.queries, max_nesting=settings.max_nesting)
    terms = bind(q, parse_params(param), settings.base_iri)
    if endpoint:
        from .remote import run_remote
        typer.echo(run_remote(endpoint, q, terms, format.value, settings.base_iri), nl=False)
        return 0
    with reading(settings.out):  # damage found while reading the store is one line too
        _print_results(run_local(open_store(settings.out), q, terms, settings.base_iri), format, settings)
    return 0


def _print_results(results, format: "ResultFormat", settings: Settings) -> None:
    from .render import RESULT_FORMATS, solutions_table

    if isinstance(results, bool):
        typer.echo("true" if results else "false")
    elif format == ResultFormat.table:
        if hasattr(results, "variables"):
            text, n = solutions_table(results, {"id": settings.base_iri})
            typer.echo(text)
            err(f"{n} rows")
        else:
            import pyoxigraph as ox
            typer.echo(ox.serialize(results, format=ox.RdfFormat.TURTLE).decode(), nl=False)
    else:
        if hasattr(results, "variables"):
            sys.stdout.buffer.write(results.serialize(format=RESULT_FORMATS[format.value]))
        else:
            import pyoxigraph as ox
            sys.stdout.buffer.write(ox.serialize(results, format=ox.RdfFormat.N_TRIPLES))


@app.command("queries")
@handled
def list_queries():
    """List the stock queries with their titles and parameters."""
    from .queries import stock_queries

    for name, q in stock_queries(settings_for().queries).items():
        params = " ".join(f"--param {p.name}=<{p.type}>" for p in q.params)
        typer.echo(f"{name:32} {q.title}" + (f"  [{params}]" if params else ""))
    return 0


@app.command()
@handled
def dump(format: str = typer.Option("turtle", "--format", help="turtle, ntriples, nquads, trig or jsonld."),
         output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
         out: Optional[Path] = OUT_OPT):
    """Write the built graph in one RDF format."""
    from .publish.dumps import dump as write_dump, format_name, load_context
    from .store import open_store, reading

    settings = settings_for(None, out)
    fmt = format_name(format)
    if output is not None:
        _check_output(output)
    store = open_store(settings.out)
    context = load_context(settings.ontology / "context.jsonld")
    with reading(settings.out):  # damage found while reading the store is one line too
        if output is None:
            write_dump(store, fmt, sys.stdout.buffer, context=context, base_iri=settings.base_iri)
            return 0
        _write_file(output, lambda handle: write_dump(store, fmt, handle, context=context, base_iri=settings.base_iri))
    err(f"wrote {output}")
    return 0


def _check_output(output: Path) -> None:
    if output.is_dir():
        raise InputError(f"{output}: is a folder", hint="give the path of a file to write, as --output graph.ttl")
    if not output.parent.is_dir():
        raise InputError(f"{output}: cannot write: the folder {output.parent} does not exist",
                         hint="create the folder first, or give another path")


def _write_file(output: Path, write) -> None:
    """Write through ``OUTPUT.partial`` renamed when complete: never half a file at OUTPUT."""
    tmp = output.with_name(output.name + ".partial")
    try:
        with open(tmp, "wb") as handle:
            write(handle)
        tmp.replace(output)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        from .store import is_disk_full
        if is_disk_full(error):
            raise InputError(f"{output}: cannot write: the disk is full", hint="free some space and try again") from None
        raise InputError(f"{output}: cannot write: {error.strerror or error}",
                         hint="give a file in a folder you can write to") from None


class ExtractFormat(str, Enum):
    json = "json"
    text = "text"


@app.command()
@handled
def extract(file: Path = typer.Argument(..., help="One document to extract from."),
            format: ExtractFormat = typer.Option(ExtractFormat.json, "--format", help="json or text."),
            max_document_bytes: Optional[int] = MAX_BYTES_OPT):
    """Print what one document yields, before adding it to the seeds."""
    from .extract import extract as run_extract
    from .extract.report import extraction_json, extraction_text
    from .sources import read_document

    if file.is_dir():
        raise InputError(f"{file}: is a folder", hint="give the path of one document")
    if not file.exists():
        raise InputError(f"{file}: no such file", hint="give the path of one document")
    if not file.is_file():
        raise InputError(f"{file}: is not a regular file", hint="give the path of one document")
    settings = settings_for(max_document_bytes=max_document_bytes)
    doc = read_document(file, root=file.parent, max_bytes=settings.max_document_bytes,
                        max_nesting=settings.max_nesting)
    for warning in doc.warnings:
        err(f"warning: {warning}")
    x = run_extract(doc)
    typer.echo(extraction_json(x) if format == ExtractFormat.json else extraction_text(x))
    return 0


def _register_plugins() -> None:
    """Commands that live in their own modules (web publishing, evaluation)."""
    import importlib

    for module in ("kg.cli_web", "kg.cli_eval"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise
            continue
        mod.register(app, handled, settings_for)


_register_plugins()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
