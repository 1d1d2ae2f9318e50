"""Every service's command line has the operator commands, and every command and subcommand says what it does."""

import argparse

import pytest

from regsys_runtime.cli import build_parser


def subcommands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, child in action.choices.items():
                yield (*path, name), helps.get(name), child
                yield from subcommands(child, (*path, name))


def test_every_command_and_subcommand_has_help():
    found = {path: text for path, text, _ in subcommands(build_parser("applications"))}
    for expected in [
        ("dead-letters", "list"), ("dead-letters", "redrive"), ("dead-letters", "purge"),
        ("outbox", "backlog"), ("consumer", "lag"), ("migrate",), ("serve",),
    ]:  # fmt: skip
        assert expected in found
    assert [path for path, text in found.items() if not text] == []


def test_every_option_has_help():
    for path, _, parser in subcommands(build_parser("licensing")):
        for action in parser._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, f"{' '.join(path)} {action.option_strings}"


def test_redrive_wants_all_or_one_offset():
    parser = build_parser("identity")
    assert parser.parse_args(["dead-letters", "redrive", "--offset", "7"]).offset == 7
    assert parser.parse_args(["dead-letters", "redrive", "--all"]).all
    with pytest.raises(SystemExit):
        parser.parse_args(["dead-letters", "redrive"])
    with pytest.raises(SystemExit):
        parser.parse_args(["dead-letters", "redrive", "--all", "--offset", "7"])
