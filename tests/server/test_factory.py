"""The app factory: defaults, environment, test config."""

from __future__ import annotations

from server import create_app
from server.settings import SETTINGS


def test_defaults_then_config_override():
    app = create_app({"MAX_ROWS": 5, "TESTING": True})
    assert app.config["MAX_ROWS"] == 5
    assert app.config["QUERY_TIMEOUT_S"] == 10.0
    assert not app.debug


def test_environment_variables_configure_the_app(monkeypatch):
    monkeypatch.setenv("KHYBER_STORE", "/tmp/elsewhere")
    monkeypatch.setenv("KHYBER_MAX_ROWS", "7")
    app = create_app()
    assert app.config["STORE"] == "/tmp/elsewhere" and app.config["MAX_ROWS"] == 7


def test_every_setting_is_documented_in_the_readme():
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text()
    for setting in SETTINGS:
        assert f"KHYBER_{setting.name.upper()}" in readme, setting.name
