"""The graph as a static site: the server's pages and each resource's Turtle, N-Triples and
JSON-LD as files, with nginx and Apache rules that negotiate content as ``kg serve`` does.

Consumes the current release; creates, under TARGET (the base IRI's path, e.g.
``atrocity-kg/id/``)::

    index.html                      home page         static/kg.css     style sheet
    doc/000_….html .ttl .nt .jsonld  one resource     dumps/            the dumps and their list
    TARGET/.well-known/void.ttl .nt .jsonld .html    TARGET/404.html
    TARGET/nginx.conf  TARGET/.htaccess              the content-negotiation rules

There is no SPARQL endpoint and no query page: pages leave them out of their navigation.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from ..config import Settings
from ..errors import InputError, StoreError
from ..server import describe as d
from ..server import pages, querypages
from ..server.markup import CSS
from ..server.problems import Problem
from ..server.rdfout import serialize
from ..server.release import ReleaseWatch
from ..server.site import FILE_SUFFIX, Site
from .dumps import load_context

RDF = ("turtle", "ntriples", "jsonld")
DUMP_MEDIA = {".ttl": "text/turtle", ".nt": "application/n-triples", ".nq": "application/n-quads",
              ".trig": "application/trig", ".jsonld": "application/ld+json"}


@dataclass
class StaticReport:
    resources: int = 0
    files: int = 0


def resource_iris(store: ox.Store, site: Site) -> list[str]:
    """Every IRI under the base that the store mentions (as subject, object or graph name),
    except the endpoint and the dumps, which a static site serves otherwise or not at all."""
    found: set[str] = set()
    for quad in store.quads_for_pattern(None, None, None, None):
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(site.base):
                found.add(term.value)
    skip = {site.endpoint_iri, site.base}
    return sorted(i for i in found if i not in skip and not i.startswith(site.base + "dumps/") and _safe_path(site, i))


def _safe_path(site: Site, iri: str) -> bool:
    parts = iri[len(site.base):].split("/")
    return all(p not in ("", ".", "..") and "\\" not in p and "\x00" not in p for p in parts)


class Writer:
    """Writes files under the target folder and counts them."""

    def __init__(self, target: Path) -> None:
        self.target, self.report = target, StaticReport()

    def write(self, relative: str, data: bytes | str) -> None:
        path = self.target / relative.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.report.files += 1


def _prepare(target: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise InputError(f"{target}: the folder is not empty", hint="choose an empty folder or add --force")
    target.mkdir(parents=True, exist_ok=True)


def write_site(settings: Settings, target: Path, *, force: bool = False) -> StaticReport:
    """Write the static site of the current release into ``target``."""
    _prepare(target, force)
    snapshot = ReleaseWatch(settings.out).snapshot()
    site = Site(settings.base_iri, static=True)
    context_path = settings.ontology / "context.jsonld"
    context = load_context(context_path) if context_path.is_file() else dict(d.NS)
    w = Writer(target)
    try:
        for iri in resource_iris(snapshot.store, site):
            write_resource(w, snapshot.store, site, context, iri)
            w.report.resources += 1
        write_fixed(w, snapshot, site, context)
    except OSError as err:
        raise StoreError(f"{target}: cannot write the site: {err.strerror or err}") from None
    return w.report


def write_resource(w: Writer, store: ox.Store, site: Site, context: dict, iri: str) -> None:
    found = d.find(store, iri)
    local = site.root + iri[len(site.base):]
    w.write(local + FILE_SUFFIX["html"], pages.resource_page(site, store, found))
    triples = found.outgoing + found.incoming
    if found.is_graph:
        triples += d.graph_triples(store, iri, 1_000_000)
    triples = list(dict.fromkeys(triples))
    for fmt in RDF:
        w.write(local + FILE_SUFFIX[fmt], serialize(triples, fmt, context=context, base=site.base))


def write_fixed(w: Writer, snapshot, site: Site, context: dict) -> None:
    """Home page, style sheet, dumps, VoID, error page and the server rules."""
    store = snapshot.store
    w.write(site.root + "index.html", pages.home_page(site, store))
    w.write(site.root + "static/kg.css", CSS)
    dumps = sorted(p for p in snapshot.dumps.iterdir() if p.is_file()) if snapshot.dumps.is_dir() else []
    for path in dumps:
        dest = w.target / (site.dumps.lstrip("/") + path.name)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
        w.report.files += 1
    w.write(site.dumps + "index.html", querypages.dumps_page(site, [w.target / (site.dumps.lstrip("/") + p.name) for p in dumps], DUMP_MEDIA))
    void = d.graph_triples(store, site.base + "graph/dataset", 1_000_000)
    for fmt in RDF:
        w.write("/.well-known/void" + FILE_SUFFIX[fmt], serialize(void, fmt, context=context, base=site.base))
    dataset = d.find(store, site.base + "dataset")
    if dataset is not None:
        w.write("/.well-known/void.html", pages.resource_page(site, store, dataset))
    w.write("/404.html", querypages.error_page(site, Problem(404, "there is nothing at this address")))
    w.write("/nginx.conf", nginx_rules(site, w.target.resolve()))
    w.write("/.htaccess", apache_rules(site))


NGINX = r"""# atrocity-kg static site: content negotiation as `kg serve` does it, for nginx.
# Drop this file into /etc/nginx/conf.d/ (it belongs in the http { } context: the map blocks
# cannot go inside a server block).  Q-values are not weighed: an Accept header that starts with
# text/html gets HTML, else the first RDF type it names wins, else HTML for text/* or */*, else
# 406; ?format= overrides.  Set `root` to where the site is, `listen` and `server_name` to yours.

map $http_accept $kg_accept_ext {
    default                      ".406";
    ""                           ".html";
    "~*^\s*text/html"            ".html";
    "~*text/turtle"              ".ttl";
    "~*application/n-triples"    ".nt";
    "~*application/ld\+json"     ".jsonld";
    "~*application/json"         ".jsonld";
    "~*(text/html|application/xhtml|text/\*|\*/\*)" ".html";
}
map $http_accept $kg_void_accept_ext {
    default                      ".406";
    ""                           ".ttl";
    "~*^\s*text/html"            ".html";
    "~*text/turtle"              ".ttl";
    "~*application/n-triples"    ".nt";
    "~*application/ld\+json"     ".jsonld";
    "~*application/json"         ".jsonld";
    "~*(text/html|application/xhtml)" ".html";
    "~*(text/\*|\*/\*)"          ".ttl";
}
map $arg_format $kg_ext {
    ""          $kg_accept_ext;
    html        ".html";
    turtle      ".ttl";
    ttl         ".ttl";
    ntriples    ".nt";
    nt          ".nt";
    jsonld      ".jsonld";
    json-ld     ".jsonld";
    default     ".406";
}
map $arg_format $kg_void_ext {
    ""          $kg_void_accept_ext;
    html        ".html";
    turtle      ".ttl";
    ttl         ".ttl";
    ntriples    ".nt";
    nt          ".nt";
    jsonld      ".jsonld";
    json-ld     ".jsonld";
    default     ".406";
}

server {
    listen 80;
    server_name __HOST__;
    root __ROOT__;
    charset utf-8;
    charset_types text/turtle application/n-triples application/ld+json text/css;
    types {
        text/html              html;
        text/css               css;
        text/turtle            ttl;
        application/n-triples  nt;
        application/ld+json    jsonld;
        application/n-quads    nq;
        application/trig       trig;
    }
    add_header Vary Accept always;
    add_header X-Content-Type-Options nosniff always;
    add_header Content-Security-Policy "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'" always;
    error_page 404 /404.html;

    location = / {
        return 302 __PREFIX__;
    }
    location = /.well-known/void {
        if ($kg_void_ext = ".406") { return 406; }
        try_files /.well-known/void$kg_void_ext =404;
    }
    location __PREFIX__ {
        if ($kg_ext = ".406") { return 406; }
        try_files $uri$kg_ext $uri ${uri}index.html =404;
    }
}
"""

APACHE = r"""# atrocity-kg static site: content negotiation as `kg serve` does it, for Apache httpd 2.4.
# Put the site at the DocumentRoot with "AllowOverride All" (or copy these lines into the
# <Directory> block); needs mod_rewrite, mod_headers and mod_mime.  Q-values are not weighed:
# an Accept header that starts with text/html gets HTML, else the first RDF type it names wins.
Options -MultiViews -Indexes
DirectoryIndex index.html
DirectorySlash Off
AddType text/turtle .ttl
AddType application/n-triples .nt
AddType application/ld+json .jsonld
AddType application/n-quads .nq
AddType application/trig .trig
AddCharset utf-8 .html .ttl .nt .jsonld .css
ErrorDocument 404 /404.html
Header always set Vary Accept
Header always set X-Content-Type-Options nosniff
Header always set Content-Security-Policy "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'"

RewriteEngine On
RewriteRule ^$ __PREFIX__ [R=302,L]

# ?format= that names no format this site has
RewriteCond %{QUERY_STRING} (^|&)format=([^&]*)
RewriteCond %2 !^(html|turtle|ttl|ntriples|nt|jsonld|json-ld)$
RewriteRule ^ - [R=406]
# an Accept header that names nothing this site has
RewriteCond %{QUERY_STRING} !(^|&)format=
RewriteCond %{HTTP_ACCEPT} .
RewriteCond %{HTTP_ACCEPT} !(text/html|application/xhtml|text/\*|\*/\*|text/turtle|application/n-triples|application/(ld\+)?json)
RewriteRule ^ - [R=406]

# the dataset description: Turtle unless asked otherwise
RewriteCond %{QUERY_STRING} (^|&)format=html(&|$) [OR]
RewriteCond %{HTTP_ACCEPT} ^\s*text/html
RewriteRule ^\.well-known/void$ .well-known/void.html [END]
RewriteCond %{QUERY_STRING} (^|&)format=(ntriples|nt)(&|$) [OR]
RewriteCond %{HTTP_ACCEPT} application/n-triples
RewriteRule ^\.well-known/void$ .well-known/void.nt [END]
RewriteCond %{QUERY_STRING} (^|&)format=(jsonld|json-ld)(&|$) [OR]
RewriteCond %{HTTP_ACCEPT} application/ld\+json
RewriteRule ^\.well-known/void$ .well-known/void.jsonld [END]
RewriteRule ^\.well-known/void$ .well-known/void.ttl [END]

# resources: ?format= first, then the Accept header, then HTML
RewriteCond %{QUERY_STRING} (^|&)format=(turtle|ttl)(&|$)
RewriteCond %{DOCUMENT_ROOT}%{REQUEST_URI}.ttl -f
RewriteRule ^ %{REQUEST_URI}.ttl [END]
RewriteCond %{QUERY_STRING} (^|&)format=(ntriples|nt)(&|$)
RewriteCond %{DOCUMENT_ROOT}%{REQUEST_URI}.nt -f
RewriteRule ^ %{REQUEST_URI}.nt [END]
RewriteCond %{QUERY_STRING} (^|&)format=(jsonld|json-ld)(&|$)
RewriteCond %{DOCUMENT_ROOT}%{REQUEST_URI}.jsonld -f
RewriteRule ^ %{REQUEST_URI}.jsonld [END]
RewriteCond %{QUERY_STRING} (^|&)format=html(&|$)
RewriteCond %{DOCUMENT_ROOT}%{REQUEST_URI}.html -f
RewriteRule ^ %{REQUEST_URI}.html [END]
RewriteCond %{QUERY_STRING} !(^|&)format=
RewriteCond %{HTTP_ACCEPT} !^\s*text/html
RewriteCond %{HTTP_ACCEPT} text/turtle
RewriteCond %{DOCUMENT_ROOT}%{REQUEST_URI}.ttl -f
RewriteRule ^ %{REQUEST_URI}.ttl [END]
RewriteCond %{QUERY_STRING} !(^|&)format=
RewriteCond %{HTTP_ACCEPT} !^\s*text/html
RewriteCond %{HTTP_ACCEPT} application/n-triples
RewriteCond %{DOCUMENT_ROOT}%{REQUEST_URI}.nt -f
RewriteRule ^ %{REQUEST_URI}.nt [END]
RewriteCond %{QUERY_STRING} !(^|&)format=
RewriteCond %{HTTP_ACCEPT} !^\s*text/html
RewriteCond %{HTTP_ACCEPT} application/(ld\+)?json
RewriteCond %{DOCUMENT_ROOT}%{REQUEST_URI}.jsonld -f
RewriteRule ^ %{REQUEST_URI}.jsonld [END]
RewriteCond %{DOCUMENT_ROOT}%{REQUEST_URI}.html -f
RewriteRule ^ %{REQUEST_URI}.html [END]
"""


def nginx_rules(site: Site, root: Path) -> str:
    host = urlsplit(site.base).hostname or "_"
    return NGINX.replace("__HOST__", host).replace("__ROOT__", str(root)).replace("__PREFIX__", site.root)


def apache_rules(site: Site) -> str:
    return APACHE.replace("__PREFIX__", site.root)
