"""Downloads of the whole KG in every standard RDF syntax, generated once per build and streamed from a file."""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, send_file

from loader.formats import DUMP_FORMATS, RDF_FORMATS, dump
from loader.store import StoreError

from .kg import get_kg

bp = Blueprint("dumps", __name__)


def cache_root() -> Path:
    """Where this store's generated files live: the cache_dir setting, else a folder in the system temp dir."""
    configured = current_app.config.get("CACHE_DIR")
    if configured:
        return Path(configured)
    store = str(Path(current_app.config["STORE"]).resolve())
    digest = hashlib.sha256(store.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"khyber-cache-{os.getuid()}" / digest


def dump_path(ext: str, gz: bool) -> tuple[Path, str]:
    """The file holding the live build's dump in one format (generated on first use) and the build id."""
    store, build = get_kg().get()
    folder = cache_root() / build.name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"khyber.{ext}{'.gz' if gz else ''}"
    if path.exists():
        return path, build.name
    # One process generates, the others wait on the lock and then find the file.
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            _prune(folder)
            plain = folder / f"khyber.{ext}"
            if not plain.exists():
                tmp = plain.with_name(plain.name + f".{os.getpid()}.part")
                dump(store, RDF_FORMATS[ext], str(tmp))
                os.replace(tmp, plain)
            if gz:
                tmp = path.with_name(path.name + f".{os.getpid()}.part")
                with open(plain, "rb") as source, gzip.open(tmp, "wb", compresslevel=6) as target:
                    shutil.copyfileobj(source, target, 1 << 20)
                os.replace(tmp, path)
    return path, build.name


def _prune(current: Path) -> None:
    """Remove the cached dumps of builds that are no longer live."""
    for other in current.parent.iterdir():
        if other.is_dir() and other != current:
            shutil.rmtree(other, ignore_errors=True)


@bp.route("/dump.<ext>")
@bp.route("/dump.<ext>.gz", defaults={"gz": True})
def dump_file(ext: str, gz: bool = False) -> Response:
    """The whole KG (all graphs, ontology included) as /dump.ttl, .nt, .trig, .nq or .jsonld, each also .gz."""
    if ext not in DUMP_FORMATS:
        abort(404)
    fmt = RDF_FORMATS[ext]
    try:
        path, build = dump_path(ext, gz)
    except StoreError as err:
        return Response(f"503 Service Unavailable: {err}\n", status=503, mimetype="text/plain",
                        headers={"Retry-After": "30"})
    name = f"khyber.{fmt.extension}{'.gz' if gz else ''}"
    response = send_file(path, mimetype="application/gzip" if gz else fmt.media_type, as_attachment=True,
                         download_name=name, etag=f"{build}-{ext}{'-gz' if gz else ''}",
                         last_modified=get_kg().last_modified(), conditional=True, max_age=0)
    if not gz and (fmt.media_type.startswith("text/") or fmt.media_type.startswith("application/n-")):
        response.headers["Content-Type"] = f"{fmt.media_type}; charset=utf-8"
    return response
