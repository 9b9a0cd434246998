"""The health endpoints against unlucky operators and rude clients: a taken port is a located config
error, clients that hang up early leave no traceback, and idle connections cannot pile up threads."""

from __future__ import annotations

import socket
import struct
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.errors import ConfigError
from monitor.health import HealthServer, Probe
from monitor.health.server import MAX_CONNECTIONS
from monitor.settings import load_settings


def _config(tmp_path: Path, port: int) -> Path:
    (tmp_path / "rules").mkdir(exist_ok=True)
    path = tmp_path / "c.yaml"
    path.write_text(
        f"database: {{url: 'sqlite:///{tmp_path}/db.sqlite'}}\nhealth:\n  enabled: true\n  port: {port}\n"
    )
    return path


def test_a_taken_port_is_a_located_config_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        path = _config(tmp_path, port)
        settings = load_settings(path, {})
        with pytest.raises(ConfigError) as raised:
            HealthServer("127.0.0.1", port, Probe(settings, lambda: None))
        assert raised.value.problems[0].location.line == 4
        assert f"cannot serve the health endpoints on 127.0.0.1:{port}" in str(raised.value)

        assert CliRunner().invoke(cli, ["--config", str(path), "db", "upgrade"]).exit_code == 0
        result = CliRunner().invoke(cli, ["--config", str(path), "run"])
    assert result.exit_code == 2
    assert f"c.yaml:4:9: cannot serve the health endpoints on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr + result.output


@pytest.fixture
def server(tmp_path: Path) -> HealthServer:
    settings = load_settings(_config(tmp_path, 0), {})
    return HealthServer("127.0.0.1", 0, Probe(settings, lambda: None)).start()


def test_clients_that_hang_up_early_leave_no_traceback(
    server: HealthServer, capfd: pytest.CaptureFixture[str]
) -> None:
    try:
        for _ in range(40):
            client = socket.create_connection(("127.0.0.1", server.port))
            client.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST
            client.close()
        time.sleep(1.0)
    finally:
        server.stop()
    assert "Traceback" not in capfd.readouterr().err


def test_idle_connections_cannot_hold_more_than_a_few_threads(server: HealthServer) -> None:
    before = threading.active_count()
    idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(3 * MAX_CONNECTIONS)]
    try:
        time.sleep(0.5)
        assert threading.active_count() - before <= MAX_CONNECTIONS
    finally:
        for client in idle:
            client.close()
        server.stop()
