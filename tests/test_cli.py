"""The command line: exit codes, one-line errors, and that a failed build keeps the previous one."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()


def kg(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def one_line_error(result) -> str:
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output + result.stderr
    return lines[0]


def snapshot(out: Path) -> dict[str, str]:
    current = (out / "current").resolve()
    return {str(p.relative_to(current)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(current.rglob("*")) if p.is_file()} | {"->": os.readlink(out / "current")}


@pytest.fixture()
def built(project):
    result = kg("build", "--quiet")
    assert result.exit_code == 0, result.output
    return project / "build"


def test_build_reports_what_it_built(project):
    result = kg("build")
    assert result.exit_code == 0, result.output
    assert "Built 5 documents" in result.stdout and "conforms" in result.stdout
    assert (project / "build" / "current" / "dumps" / "graph.ttl").is_file()


def test_validate_exits_0_on_the_seeds(project):
    result = kg("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Conforms")


def test_validate_json_report(project):
    result = kg("validate", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["conforms"] is True and "000_bbfb80d926e12133" in report["graphs"]


def break_shapes(project: Path) -> None:
    """A stricter shape that the graph does not meet: a document may have no name at all."""
    (project / "shapes" / "zz-strict.ttl").write_text("""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .
@prefix akg: <https://w3id.org/atrocity-kg/ontology#> .
<urn:test:NoNames> a sh:NodeShape ; sh:targetClass akg:Signature ;
  sh:property [ sh:path schema:position ; sh:maxInclusive 40 ; sh:message "too many signers" ] .
""", encoding="utf-8")


def test_validate_exits_1_with_violations_grouped_by_document(project):
    break_shapes(project)
    result = kg("validate")
    assert result.exit_code == 1, result.output
    assert "\n000_bbfb80d926e12133:" in result.stdout
    assert "too many signers" in result.stdout and "span:" in result.stdout
    report = json.loads(kg("validate", "--format", "json").stdout)
    violations = report["violations"]["000_bbfb80d926e12133"]
    assert len(violations) == 11  # positions 41..51
    assert all(v["span"] and v["path"] == "https://schema.org/position" for v in violations)
    assert "001_e6a54758775b160a" not in report["violations"]  # 39 signers there


def test_validate_turtle_report_is_a_shacl_graph(project):
    break_shapes(project)
    result = kg("validate", "--format", "turtle")
    assert result.exit_code == 1
    import rdflib
    g = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert len(list(g.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult")))) == 11


def test_a_build_that_does_not_conform_keeps_the_previous_one(built, project):
    before = snapshot(built)
    break_shapes(project)
    result = kg("build")
    assert result.exit_code == 1
    assert snapshot(built) == before


@pytest.mark.parametrize("breakage, needle", [
    (lambda p: (p / "seeds" / "zz.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20), "zz.txt"),
    (lambda p: (p / "seeds" / "000_bbfb80d926e12133.meta.toml").write_text("date = [", encoding="utf-8"), "000_bbfb80d926e12133.meta.toml"),
    (lambda p: (p / "seeds" / "000_bbfb80d926e12133.meta.toml").write_text("date = 2021-02-30", encoding="utf-8"), "000_bbfb80d926e12133.meta.toml"),
    (lambda p: (p / "seeds" / "000_bbfb80d926e12133.meta.toml").write_text("colour = 'red'", encoding="utf-8"), "unknown key"),
    (lambda p: (p / "seeds" / "zz.meta.toml").write_text("publisher = 'x'", encoding="utf-8"), "zz.meta.toml"),
    (lambda p: (p / "seeds" / "zz.txt").write_bytes(b"caf\xe9 \x81\x8d\x8f\x90\x9d" * 3 + bytes(range(1, 9)) * 40), "zz.txt"),
    (lambda p: (p / "seeds" / "zz.txt").write_text("   \n\n  ", encoding="utf-8"), "no text"),
    (lambda p: (p / "shapes" / "akg-shapes.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:path [ ", encoding="utf-8"), "akg-shapes.ttl"),
    (lambda p: (p / "ontology" / "akg.ttl").write_text("<a> <b> ", encoding="utf-8"), "akg.ttl"),
])
def test_bad_input_is_one_line_exit_3_and_keeps_the_previous_build(built, project, breakage, needle):
    before = snapshot(built)
    breakage(project)
    result = kg("build")
    assert result.exit_code == 3, result.output
    assert needle in one_line_error(result)
    assert snapshot(built) == before


def test_missing_seeds_folder_is_exit_3(project):
    result = kg("build", str(project / "nowhere"))
    assert result.exit_code == 3
    assert "nowhere: no such folder" in one_line_error(result)


def test_wrong_command_line_is_exit_2(project):
    result = runner.invoke(app, ["build", "--no-such-option"])
    assert result.exit_code == 2


def test_query_by_name_file_and_string(built, project):
    by_string = kg("query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/atrocity-kg/ontology#Signature> }",
                   "--format", "csv")
    assert by_string.exit_code == 0, by_string.output
    assert by_string.stdout.splitlines() == ["n", "91"]  # 51 + 39 + 1 (the Amnesty letter)
    query_file = project / "count.rq"
    query_file.write_text("# title: Count\nSELECT (COUNT(*) AS ?n) WHERE { ?s a <https://schema.org/Claim> }", encoding="utf-8")
    by_file = kg("query", str(query_file), "--format", "json")
    assert by_file.exit_code == 0, by_file.output
    assert int(json.loads(by_file.stdout)["results"]["bindings"][0]["n"]["value"]) > 0


def test_query_refuses_updates_and_bad_syntax(built):
    update = kg("query", "--sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert update.exit_code == 3 and "SPARQL Update" in one_line_error(update)
    broken = kg("query", "--sparql", "SELECT ?x WHERE { ?x ")
    assert broken.exit_code == 3 and "syntax error" in one_line_error(broken)
    unknown = kg("query", "no-such-query")
    assert unknown.exit_code == 3 and "no-such-query" in one_line_error(unknown)


def test_query_without_a_build_is_exit_3(project):
    result = kg("query", "--sparql", "ASK {}")
    assert result.exit_code == 3 and "kg build" in one_line_error(result)


def test_dump_writes_each_format(built, project, tmp_path):
    for fmt in ("turtle", "ntriples", "nquads", "trig", "jsonld"):
        target = tmp_path / f"out.{fmt}"
        result = kg("dump", "--format", fmt, "--output", str(target))
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 10_000
    bad = kg("dump", "--format", "yaml")
    assert bad.exit_code == 3 and "yaml" in one_line_error(bad)


def test_extract_prints_json_for_one_document(root):
    result = kg("extract", str(root / "seeds" / "000_bbfb80d926e12133.txt"), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["date"] == "2021-01-14" and len(data["signatures"]) == 51
    first = data["signatures"][0]["span"]
    text = (root / "seeds" / "000_bbfb80d926e12133.txt").read_text(encoding="utf-8")
    assert text[first["start"]:first["end"]] == first["exact"] == "Aegis Trust"


def test_the_console_script_runs_as_a_process(built, project):
    """The installed entry point, as a user runs it: errors on stderr, exit code kept."""
    exe = Path(sys.executable).with_name("kg")
    done = subprocess.run([str(exe), "query", "no-such-query"], capture_output=True, text=True, cwd=project)
    assert done.returncode == 3 and done.stderr.startswith("kg: error: no-such-query")


def test_a_rebuild_says_it_built_on_the_last_one_and_full_does_not(project):
    assert kg("build", "--quiet").exit_code == 0
    again = kg("build")
    assert again.exit_code == 0 and "Built on the last build" in again.stdout
    full = kg("build", "--full")
    assert full.exit_code == 0 and "Built 5 documents" in full.stdout and "Built on the last build" not in full.stdout
    assert "--full" in kg("build", "--help").stdout
