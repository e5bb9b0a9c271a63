"""OWL 2 profile checks (OWL API) and consistency checks (HermiT) for Khyber files.

Both tools are Java: the OWL API from Debian's ``libowlapi-java`` (the parser family Protégé
uses) and the HermiT jar that ships inside the ``owlready2`` wheel. ``ontology/tools/OwlCheck.java``
is compiled on first use into a cache directory keyed by the source's hash (with ``javac``), or,
on a JRE without ``javac``, run from source by the ``java`` launcher.

    >>> dl_violations("ontology/khyber.ttl")
    []
    >>> hermit_check("ontology/khyber.ttl").ok
    True

Environment overrides: ``KHYBER_OWLAPI_CLASSPATH`` (a ``:``-separated class path holding the
OWL API and its dependencies), ``KHYBER_HERMIT_JAR`` (path to HermiT.jar) and
``KHYBER_CACHE_DIR`` (where the compiled checker goes; default ``~/.cache/khyber``).
"""

from __future__ import annotations

import glob
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

REPO_ROOT = Path(__file__).resolve().parent.parent
JAVA_SOURCE = REPO_ROOT / "ontology" / "tools" / "OwlCheck.java"
JAVA_DIR = Path("/usr/share/java")

# The OWL API 5.1 jars and their run-time dependencies as Debian installs them
# (`apt-get install libowlapi-java`); unversioned symlinks, so upgrades keep working.
_OWLAPI_JARS = [
    "owlapi-api", "owlapi-apibinding", "owlapi-impl", "owlapi-parsers", "owlapi-rio",
    "owlapi-oboformat", "owlapi-tools", "guava", "caffeine", "commons-io", "commons-codec",
    "commons-rdf-api", "slf4j-api", "slf4j-nop", "atinject-jsr330-api", "jsr305", "hppcrt", "xz",
]
_PROFILES = ("DL", "RL", "EL", "QL")


class ToolMissing(RuntimeError):
    """Raised when Java, the OWL API or HermiT is not installed."""


@dataclass
class ProfileReport:
    """What the OWL API says about one file for one OWL 2 profile."""

    profile: str
    violations: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def problems(self) -> list[str]:
        """Violations plus triples the OWL API could not map to OWL (both break DL)."""
        return self.violations + [f"UnparsedTriple\t{t}" for t in self.unparsed]


@dataclass
class HermitResult:
    """HermiT's verdict: consistency and the unsatisfiable named classes."""

    consistent: bool
    unsatisfiable: list[str]
    output: str

    @property
    def ok(self) -> bool:
        """True when the ontology is consistent and no named class is unsatisfiable."""
        return self.consistent and not self.unsatisfiable


def _java(tool: str) -> str:
    """Return the path of a JDK tool (java or javac) or raise ToolMissing."""
    path = shutil.which(tool)
    if path is None:
        raise ToolMissing(f"{tool} not found (apt-get install default-jdk-headless)")
    return path


def owlapi_classpath() -> str:
    """Return the class path of the OWL API and its dependencies, or raise ToolMissing."""
    override = os.environ.get("KHYBER_OWLAPI_CLASSPATH")
    if override:
        return override
    jars = [JAVA_DIR / f"{name}.jar" for name in _OWLAPI_JARS]
    missing = [j.name for j in jars if not j.exists() and j.name != "slf4j-nop.jar"]
    if missing:
        raise ToolMissing(f"OWL API jars missing in {JAVA_DIR}: {', '.join(missing)} "
                          "(apt-get install libowlapi-java)")
    rdf4j = sorted(p for p in glob.glob(str(JAVA_DIR / "rdf4j-*.jar"))
                   if not re.search(r"-\d[\d.]*\.jar$", p))
    return ":".join([str(j) for j in jars if j.exists()] + rdf4j)


def hermit_jar() -> Path:
    """Return the path of HermiT.jar (inside the owlready2 package) or raise ToolMissing."""
    override = os.environ.get("KHYBER_HERMIT_JAR")
    if override:
        return Path(override)
    # find_spec locates the package without importing it (owlready2's import is slow).
    spec = importlib.util.find_spec("owlready2")
    if spec is None or not spec.submodule_search_locations:
        raise ToolMissing("owlready2 is not installed (pip install owlready2): it ships HermiT.jar")
    jar = Path(list(spec.submodule_search_locations)[0]) / "hermit" / "HermiT.jar"
    if not jar.exists():
        raise ToolMissing(f"HermiT.jar not found at {jar}")
    return jar


def _cache_dir() -> Path:
    """Return the directory for compiled classes."""
    base = os.environ.get("KHYBER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "khyber")
    return Path(base) / "owlcheck"


def compiled_checker() -> Path:
    """Compile OwlCheck.java once per source version and return the class directory."""
    source = JAVA_SOURCE.read_bytes()
    classpath = owlapi_classpath()
    key = hashlib.sha256(source + classpath.encode()).hexdigest()[:16]
    out = _cache_dir() / key
    if (out / "OwlCheck.class").exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    # Compile into a temporary directory and rename, so concurrent callers never see half a class.
    tmp = Path(tempfile.mkdtemp(dir=out.parent))
    proc = subprocess.run([_java("javac"), "-nowarn", "-d", str(tmp), "-cp", classpath, str(JAVA_SOURCE)],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise RuntimeError(f"javac failed:\n{proc.stderr}")
    try:
        tmp.rename(out)
    except OSError:  # another process won the race
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def profile_report(path: str | os.PathLike, *, profile: str = "DL", timeout: float = 600) -> ProfileReport:
    """Load PATH with the OWL API and check it against an OWL 2 profile (DL, RL, EL or QL)."""
    if profile not in _PROFILES:
        raise ValueError(f"profile must be one of {_PROFILES}")
    if shutil.which("javac"):
        command = [_java("java"), "-cp", f"{owlapi_classpath()}:{compiled_checker()}", "OwlCheck"]
    else:
        # A JRE without javac can still run a one-file program from source (JEP 330),
        # provided its module image has jdk.compiler.
        command = [_java("java"), "-cp", owlapi_classpath(), str(JAVA_SOURCE)]
    proc = subprocess.run(command + [profile, str(path)], capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"OWL API could not check {path}:\n{proc.stderr.strip()}")
    report = ProfileReport(profile)
    for line in proc.stdout.splitlines():
        kind, _, rest = line.partition("\t")
        if kind == "VIOLATION":
            report.violations.append(rest)
        elif kind == "UNPARSED":
            report.unparsed.append(rest)
        elif kind == "STAT":
            name, _, value = rest.partition("\t")
            report.stats[name] = int(value)
    return report


def dl_violations(path: str | os.PathLike) -> list[str]:
    """Return the OWL 2 DL profile violations (and unparsed triples) the OWL API finds in PATH."""
    return profile_report(path, profile="DL").problems


def hermit_check(path: str | os.PathLike, *, timeout: float = 600) -> HermitResult:
    """Run HermiT on PATH (consistency and unsatisfiable classes: ``-k -U``)."""
    proc = subprocess.run(
        [_java("java"), "-jar", str(hermit_jar()), "-k", "-U", str(path)],
        capture_output=True, text=True, timeout=timeout)
    output = proc.stdout + proc.stderr
    consistent = proc.returncode == 0 and re.search(r"owl#Thing is satisfiable", proc.stdout) is not None
    unsatisfiable: list[str] = []
    lines = proc.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Classes equivalent to 'owl:Nothing'"):
            for entry in lines[i + 1:]:
                if not entry.startswith("\t"):
                    break
                name = entry.strip()
                if name not in ("owl:Nothing", "<http://www.w3.org/2002/07/owl#Nothing>"):
                    unsatisfiable.append(name)
    return HermitResult(consistent=consistent, unsatisfiable=unsatisfiable, output=output)


def merge_to_file(paths: Iterable[str | os.PathLike], out: str | os.PathLike) -> Path:
    """Merge RDF files (any syntax rdflib guesses from the extension) into one Turtle file."""
    import rdflib  # local import: the checks above need no rdflib

    graph = rdflib.Graph()
    for p in paths:
        graph.parse(str(p))
    out = Path(out)
    graph.serialize(out, format="turtle")
    return out


def tools_missing() -> str | None:
    """Return why the Java checks cannot run here, or None when they can."""
    try:
        _java("java")
        owlapi_classpath()
        hermit_jar()
    except ToolMissing as exc:
        return str(exc)
    return None


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m loader.owlcheck FILE...`` prints DL violations and HermiT's verdict."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("files", nargs="+", help="RDF files, merged before checking")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.files[0] if len(args.files) == 1 else merge_to_file(args.files, Path(tmp) / "merged.ttl")
        report = profile_report(path)
        for v in report.problems:
            print(v)
        print(f"{len(report.problems)} OWL 2 DL violations; stats {report.stats}")
        result = hermit_check(path)
        print(f"HermiT: consistent={result.consistent} unsatisfiable={result.unsatisfiable}")
        return 0 if not report.problems and result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
