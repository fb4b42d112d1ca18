"""docker-compose.yml: real newsvault commands, loopback-only ports, no secrets in it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from newsvault.cli import build_parser

REPO = Path(__file__).resolve().parents[1]
COMPOSE = REPO / "docker-compose.yml"
SECRET_NAMES = re.compile(r"PASSWORD|SECRET|TOKEN|ACCESS_KEY", re.IGNORECASE)


def services() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(COMPOSE.read_text())
    found: dict[str, dict[str, Any]] = data["services"]
    return found


def subcommands() -> set[str]:
    parser = build_parser([])
    choices = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    return set(choices)


NEWSVAULT_SERVICES = sorted(
    name for name, svc in services().items() if (svc.get("command") or [""])[0] == "newsvault"
)


def test_compose_runs_the_whole_stack() -> None:
    assert {"redis", "seaweedfs", "scheduler", "worker", "replay"} <= set(services())
    assert set(NEWSVAULT_SERVICES) == {"scheduler", "worker", "replay"}


@pytest.mark.parametrize("name", NEWSVAULT_SERVICES)
def test_every_service_command_is_a_real_subcommand(name: str) -> None:
    command = services()[name]["command"]
    assert command[1] in subcommands(), f"{name}: 'newsvault {command[1]}' does not exist"


def test_no_port_is_published_on_all_interfaces() -> None:
    for name, svc in services().items():
        for port in svc.get("ports", []):
            host_ip = port.get("host_ip") if isinstance(port, dict) else str(port).split(":")[0]
            assert host_ip == "127.0.0.1", f"{name} publishes {port!r} beyond loopback"


def test_credentials_come_from_the_uncommitted_env_file() -> None:
    text = COMPOSE.read_text()
    for name, svc in services().items():
        env = svc.get("environment") or {}
        for key, value in env.items():
            if SECRET_NAMES.search(key):
                assert str(value).startswith("${"), f"{name}: {key} is set in the compose file"
    used = set(re.findall(r"\$\{?\$?([A-Z][A-Z0-9_]*)", text)) - {"NEWSVAULT_IMAGE"}
    example = (REPO / ".env.example").read_text()
    declared = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
    assert used <= declared, f"not in .env.example: {sorted(used - declared)}"
    assert "/.env" in (REPO / ".gitignore").read_text().split()
