"""``kg publish static``: the server's pages and per-resource RDF as files, and the nginx and
Apache rules that negotiate content like ``kg serve`` (run for real when nginx or apache2 is
installed, else skipped).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from kg.errors import InputError
from kg.publish.static import write_site
from kg.server.app import Limits, create_app
from test_server import BASE, TITLE1, _wait_for_port, free_port, make_project

R = "/atrocity-kg/id/"
NGINX, APACHE = Path("/usr/sbin/nginx"), Path("/usr/sbin/apache2")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("static-project"))


@pytest.fixture(scope="module")
def site(project):
    """The site, in a folder a web server's own user can read."""
    target = Path(tempfile.mkdtemp(prefix="kg-static-"))
    target.chmod(0o755)
    report = write_site(project, target / "site")
    yield target / "site", report
    shutil.rmtree(target, ignore_errors=True)


def test_site_layout(site):
    root, report = site
    assert report.resources > 20 and report.files > 4 * report.resources
    for name in ("index.html", "static/kg.css", "doc/t1.html", "doc/t1.ttl", "doc/t1.nt", "doc/t1.jsonld",
                 "doc/t1/text.html", "org/aegis-trust.html", "dumps/graph.nq", "dumps/index.html",
                 "graph/doc/t1.ttl"):
        assert (root / R.strip("/") / name).is_file(), name
    for name in (".well-known/void.ttl", ".well-known/void.html", "404.html", "nginx.conf", ".htaccess"):
        assert (root / name).is_file(), name
    assert not (root / R.strip("/") / "sparql.html").exists()


def test_pages_are_the_servers_without_the_endpoint(site, project):
    root, _ = site
    page = (root / R.strip("/") / "doc/t1.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page and "<mark>We call on all governments" in page
    assert f'href="{R}doc/t1.ttl"' in page and 'type="application/ld+json"' in page
    assert f'href="{R}query"' not in page and f'href="{R}org/aegis-trust"' in page
    with TestClient(create_app(project, Limits(workers=1))) as c:
        for fmt, suffix in ((ox.RdfFormat.TURTLE, "ttl"), (ox.RdfFormat.N_TRIPLES, "nt"), (ox.RdfFormat.JSON_LD, "jsonld")):
            served = c.get(R + "org/aegis-trust", params={"format": suffix}).content
            written = (root / R.strip("/") / f"org/aegis-trust.{suffix}").read_bytes()
            assert set(ox.parse(written, format=fmt)) == set(ox.parse(served, format=fmt))


def test_refuses_a_folder_that_is_not_empty(project, tmp_path):
    (tmp_path / "x").write_text("keep me")
    with pytest.raises(InputError, match="not empty"):
        write_site(project, tmp_path)
    assert write_site(project, tmp_path, force=True).resources > 0 and (tmp_path / "x").read_text() == "keep me"


def get(url: str, accept: str | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.headers["Content-Type"], r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), b""


CASES = [  # path, Accept, status, media type
    (R + "org/aegis-trust", "text/html,application/xhtml+xml,*/*;q=0.8", 200, "text/html"),
    (R + "org/aegis-trust", "text/turtle", 200, "text/turtle"),
    (R + "org/aegis-trust", "application/n-triples", 200, "application/n-triples"),
    (R + "org/aegis-trust", "application/ld+json", 200, "application/ld+json"),
    (R + "org/aegis-trust", "image/png", 406, None),
    (R + "org/aegis-trust?format=ttl", "image/png", 200, "text/turtle"),
    (R + "org/aegis-trust?format=rdfxml", None, 406, None),
    (R + "org/nobody", "text/turtle", 404, None),
    (R + "doc/t1", None, 200, "text/html"),
    (R, None, 200, "text/html"),
    (R + "dumps/graph.nt", None, 200, "application/n-triples"),
    ("/.well-known/void", None, 200, "text/turtle"),
    ("/.well-known/void", "text/html", 200, "text/html"),
]


def check_cases(url: str) -> None:
    for path, accept, status, media in CASES:
        code, ctype, body = get(url + path, accept)
        assert code == status, (path, accept, code)
        if media:
            assert ctype.startswith(media), (path, accept, ctype)
    assert TITLE1.replace("<", "&lt;").replace(">", "&gt;").split("alert")[0] in get(url + R + "doc/t1")[2].decode()
    triples = ox.parse(get(url + R + "org/aegis-trust", "text/turtle")[2], format=ox.RdfFormat.TURTLE)
    assert any(t.subject.value == BASE + "org/aegis-trust" for t in triples)


@pytest.mark.skipif(not NGINX.exists(), reason="nginx is not installed")
def test_nginx_rules_negotiate(site, tmp_path):
    root, _ = site
    port = free_port()
    conf = (root / "nginx.conf").read_text().replace("listen 80;", f"listen 127.0.0.1:{port};")
    (tmp_path / "site.conf").write_text(conf)
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"daemon off; {user} pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}/b; proxy_temp_path {tmp_path}/p; "
        f"fastcgi_temp_path {tmp_path}/f; uwsgi_temp_path {tmp_path}/u; scgi_temp_path {tmp_path}/s; "
        f"include {tmp_path}/site.conf; }}\n")
    proc = subprocess.Popen([str(NGINX), "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_port(port, proc)
        check_cases(f"http://127.0.0.1:{port}")
    finally:
        proc.terminate()
        proc.wait(10)


APACHE_CONF = """ServerRoot {tmp}
Listen 127.0.0.1:{port}
PidFile {tmp}/httpd.pid
ErrorLog {tmp}/error.log
TypesConfig /etc/mime.types
ServerName localhost
{user}
LoadModule mpm_event_module {mods}/mod_mpm_event.so
LoadModule authz_core_module {mods}/mod_authz_core.so
LoadModule dir_module {mods}/mod_dir.so
LoadModule mime_module {mods}/mod_mime.so
LoadModule headers_module {mods}/mod_headers.so
LoadModule rewrite_module {mods}/mod_rewrite.so
DocumentRoot {root}
<Directory {root}>
  AllowOverride All
  Require all granted
</Directory>
"""


@pytest.mark.skipif(not APACHE.exists() or not Path("/etc/mime.types").exists(), reason="apache2 is not installed")
def test_apache_rules_negotiate(site):
    root, _ = site
    tmp = Path(tempfile.mkdtemp(prefix="kg-apache-"))
    tmp.chmod(0o777)
    port = free_port()
    user = "User www-data\nGroup www-data" if os.geteuid() == 0 else ""
    (tmp / "httpd.conf").write_text(APACHE_CONF.format(tmp=tmp, port=port, root=root, user=user,
                                                       mods="/usr/lib/apache2/modules"))
    proc = subprocess.Popen([str(APACHE), "-f", str(tmp / "httpd.conf"), "-DFOREGROUND"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_port(port, proc)
        check_cases(f"http://127.0.0.1:{port}")
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


def test_kg_publish_static_command(project, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from kg.cli import app

    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(app, ["publish", "static", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "resources" in result.stdout and (tmp_path / "out" / ".htaccess").is_file()
    again = CliRunner().invoke(app, ["publish", "static", str(tmp_path / "out")])
    assert again.exit_code == 3 and "not empty" in again.output
