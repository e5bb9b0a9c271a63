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


def test_every_setting_is_a_serve_flag_and_documented_with_it():
    from loader.cli import _parser
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text()
    args = _parser().parse_args(["serve", "--timeout", "3", "--max-rows", "5", "--query-workers", "1",
                                 "--access-log", ""])
    assert args.query_timeout_s == 3.0 and args.max_rows == 5 and args.query_workers == 1 and args.access_log == ""
    for setting in SETTINGS:
        assert f"`{setting.cli_flag}`" in readme, setting.name


def test_settings_from_the_environment_get_their_types(monkeypatch):
    monkeypatch.setenv("KHYBER_QUERY_TIMEOUT_S", "2.5")
    monkeypatch.setenv("KHYBER_CACHE_DIR", "/tmp/x")
    app = create_app()
    assert app.config["QUERY_TIMEOUT_S"] == 2.5 and app.config["CACHE_DIR"] == "/tmp/x"
    assert app.config["MAX_CONTENT_LENGTH"] == app.config["MAX_REQUEST_BYTES"]
