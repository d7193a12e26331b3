"""A Spark session to score on: local mode or a cluster, in UTC, quiet, checked before any table is read.

`start_spark(master)` returns a `SparkSession` whose SQL time zone is UTC
(the contract of `compliance.relations`), with the web UI off, small local
memory settings and the JVM's own output kept in a log file instead of the
user's terminal. Every way it can fail (PySpark or Java missing, a master
that cannot be reached or has no free executors within `timeout` seconds,
a JVM that does not start) raises `SparkError` with a message that says
what to do; `check_master` tells a malformed master URL (a usage error)
before anything starts.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

__all__ = ["DEFAULT_MASTER", "SparkError", "check_master", "master_endpoints", "start_spark"]

DEFAULT_MASTER = "local[2]"

# local, local[4], local[*], local[4,2] (retries), local-cluster[...] (Spark's own tests), and cluster managers.
_LOCAL = re.compile(r"^local(\[(\d+|\*)(,\s*\d+)?\])?$")
_HOST_PORT = re.compile(r"^\[?([A-Za-z0-9_.:-]+?)\]?:(\d{1,5})$")

# Settings for a session started here; `conf` given by the user wins.
_BASE = {
    "spark.app.name": "servicekb",
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    # Parquet timestamps written without a zone (isAdjustedToUTC=false) are store-local wall clock.
    "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
    # pandas and pyarrow write nanosecond timestamps, which Spark reads only as numbers (typed by the reader).
    "spark.sql.legacy.parquet.nanosAsLong": "true",
    # Small frames go to Spark through Arrow: the row path turns a float 28800.0 into a null bigint
    # (Ibis registers its in-memory tables from pandas, where a nullable integer column is float).
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}
_LOCAL_ONLY = {
    "spark.driver.memory": "1g",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "4",
}


class SparkError(Exception):
    """Spark cannot be used as asked; the message says why and what to do."""


def check_master(master: str) -> str | None:
    """Why `master` is not a Spark master URL this command can use, or None when it is."""
    if _LOCAL.match(master) or master == "yarn":
        return None
    if master.startswith("spark://"):
        bad = [hp for hp in master[len("spark://") :].split(",") if not _HOST_PORT.match(hp)]
        return f"{master!r}: spark:// needs host:port (e.g. spark://head:7077)" if bad else None
    if master.startswith("k8s://"):
        return None if re.match(r"^k8s://(https?://)?[^/\s]+$", master) else f"{master!r}: give k8s://https://host:port"
    return (
        f"{master!r} is not a Spark master: give local[N] or local[*] (this machine), spark://host:port "
        f"(a standalone cluster), yarn, or k8s://https://host:port"
    )


def master_endpoints(master: str) -> list[tuple[str, int]]:
    """The host:port pairs of a spark:// or k8s:// master, which must answer before a session starts."""
    if master.startswith("spark://"):
        rest = master[len("spark://") :].split(",")
    elif master.startswith("k8s://"):
        url = re.sub(r"^k8s://(https?://)?", "", master)
        rest = [url if ":" in url else f"{url}:{443 if master.startswith('k8s://https') else 80}"]
    else:
        return []
    out = []
    for hp in rest:
        m = _HOST_PORT.match(hp)
        if m:
            out.append((m.group(1), int(m.group(2))))
    return out


def _reachable(endpoints: list[tuple[str, int]], timeout: float) -> list[str]:
    """Why each endpoint cannot be reached (empty when one answers)."""
    why = []
    for host, port in endpoints:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                return []
        except OSError as exc:
            why.append(f"{host}:{port}: {exc.strerror or type(exc).__name__}")
    return why


def _java_home() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return home
    return shutil.which("java")


def _log_tail(path: Path, lines: int = 2) -> str:
    """The last lines of the JVM's log that say something (errors first), without their time and logger."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    errors = [t for t in text if re.search(r"\b(ERROR|Exception|Error)\b", t) and not t.startswith("\tat ")]
    said = [re.sub(r"^\d{2}/\d{2}/\d{2} [\d:]{8} [A-Z]+ [\w$.]+: ", "", t).strip() for t in (errors or text)]
    return " | ".join(list(dict.fromkeys(t for t in said if t))[-lines:])


def start_spark(master: str = DEFAULT_MASTER, conf: Mapping[str, str] | None = None, timeout: float = 30.0):
    """A working Spark session on `master` (an active one on the same master is reused).

    The master's address is tried before the JVM starts (at most `timeout`
    seconds), then one tiny job must finish within `timeout` seconds, so a
    cluster without free executors fails here rather than hanging later.
    """
    why = check_master(master)
    if why:
        raise SparkError(why)
    try:
        from pyspark import SparkConf, SparkContext
        from pyspark.java_gateway import launch_gateway
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkError(
            "the Spark engine needs PySpark: pip install 'servicekb[spark]' (and Java 17 or newer)"
        ) from None
    if _java_home() is None:
        raise SparkError(
            "the Spark engine needs Java 17 or newer: install openjdk-17-jre-headless (Debian) or set JAVA_HOME"
        )
    endpoints = master_endpoints(master)
    if endpoints:
        failed = _reachable(endpoints, min(timeout, 10.0))
        if failed:
            raise SparkError(f"cannot reach the Spark master {master} ({'; '.join(failed)}): is the cluster up?")
    # The session is made in a worker thread (below), so the thread-local active session may not see it.
    active = SparkSession.getActiveSession() or getattr(SparkSession, "_instantiatedSession", None)
    if active is not None:
        if active.sparkContext.master == master:
            return active
        active.stop()
    settings = dict(_BASE)
    if master.startswith("local"):
        settings.update(_LOCAL_ONLY)
    settings.update(conf or {})
    spark_conf = SparkConf(loadDefaults=False).setMaster(master)
    for key, value in settings.items():
        spark_conf.set(key, value)
    fd, name = tempfile.mkstemp(prefix="servicekb-spark-", suffix=".log")
    log = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            gateway = launch_gateway(spark_conf, popen_kwargs={"stdout": out, "stderr": out})
    except Exception as exc:  # the JVM did not start: its log says why
        detail = _log_tail(log) or str(exc).splitlines()[0]
        raise SparkError(f"Spark did not start on {master}: {detail} (full log: {log})") from None
    # A standalone master that answers TCP but never registers the application blocks SparkContext for a minute.
    made: dict[str, object] = {}

    def make() -> None:
        try:
            made["context"] = SparkContext(conf=spark_conf, gateway=gateway)
            made["context"].setLogLevel("ERROR")
            made["session"] = SparkSession(made["context"])
        except Exception as exc:  # reported below
            made["error"] = exc

    worker = threading.Thread(target=make, daemon=True)
    worker.start()
    worker.join(timeout)
    if "session" not in made:
        _abandon(gateway)
        if worker.is_alive():
            raise SparkError(
                f"the Spark master {master} did not accept this application within {timeout:g} s: is it a Spark "
                f"master, and is it up? (log: {log})"
            )
        detail = _log_tail(log) or str(made.get("error", "")).strip().splitlines()[0]
        raise SparkError(f"Spark did not start on {master}: {detail} (log: {log})")
    session = made["session"]
    _probe(session, master, timeout, log)
    log.unlink(missing_ok=True)  # kept only to explain a failure to start
    return session


def _abandon(gateway) -> None:
    """Stop a JVM that never became a working session, so that a later session can start afresh."""
    from pyspark import SparkContext

    proc = getattr(gateway, "proc", None)
    if proc is not None:
        proc.kill()
        proc.wait(timeout=10)
    SparkContext._gateway = None
    SparkContext._jvm = None
    SparkContext._active_spark_context = None


def _probe(session, master: str, timeout: float, log: Path) -> None:
    """Run one tiny job; stop the session and raise when it fails or does not finish within `timeout` seconds."""
    done: dict[str, object] = {}
    context = session.sparkContext

    def run() -> None:
        try:
            context.setJobGroup("servicekb-probe", "servicekb: is the cluster there?", interruptOnCancel=True)
            done["rows"] = session.range(1).count()
        except Exception as exc:  # reported below
            done["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    if "rows" in done:
        return
    if worker.is_alive():
        try:
            context.cancelJobGroup("servicekb-probe")
        finally:
            session.stop()
        raise SparkError(
            f"the Spark master {master} gave no executor within {timeout:g} s: is the cluster up, "
            f"with free cores and memory? (log: {log})"
        )
    session.stop()
    first = str(done.get("error", "")).strip().splitlines()
    raise SparkError(f"Spark on {master} cannot run a job: {first[0] if first else 'unknown error'} (log: {log})")
