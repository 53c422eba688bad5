"""Every command and option is documented: a new command without a README line fails here."""

from __future__ import annotations

import re

import click
import typer.main

from kg.cli import app


def commands(group: click.Group, prefix: str = ""):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def test_every_command_is_in_the_readme(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    missing = [name for name, _ in commands(group) if f"`kg {name}" not in readme]
    assert not missing, f"commands missing from README.md: {missing}"


def test_every_option_has_help_text():
    group = typer.main.get_command(app)
    for name, command in commands(group):
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert param.help, f"kg {name} {param.opts[0]} has no help text"


def test_every_exit_code_is_documented(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    for code in range(5):
        assert re.search(rf"^\| {code} \|", readme, re.M), f"exit code {code} is not in the README"
