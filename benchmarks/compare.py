"""Compare this tree with a git revision: the same in-process benchmark on both builds.

The revision is exported with ``git archive`` (the working tree is not touched) and
installed with pip into a virtualenv in a temporary directory. That virtualenv imports the
dependencies of the running one through a ``.pth`` file, so nothing is downloaded and both
builds run on the same Django and DRF. Its ``.pth`` file names the other site-packages as
a plain path, which Python adds to ``sys.path`` without running the ``.pth`` files inside
it, so an editable install of this tree does not leak into the other build.

Each build runs in its own process, ``--rounds`` times, alternating, so that a slow
moment of a shared machine does not fall on one build only.
"""

import io
import json
import shutil
import site
import statistics
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
from pathlib import Path

import report


def export_revision(repo_dir, revision, target):
    """Write the files of ``revision`` into ``target`` with ``git archive``."""
    archive = subprocess.run(
        ["git", "-C", str(repo_dir), "archive", "--format=tar", revision],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        message = archive.stderr.decode("utf-8", "replace").strip()
        raise SystemExit(f"git archive {revision} failed: {message}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")


def create_virtualenv(venv_dir):
    """Create a virtualenv that imports the running one's packages; return its python."""
    subprocess.run([sys.executable, "-m", "venv", str(venv_dir)], check=True)
    python = venv_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
        cwd=venv_dir.parent,
    ).stdout.strip()
    parent_dirs = dict.fromkeys([*site.getsitepackages(), sysconfig.get_paths()["purelib"]])
    lines = [path for path in parent_dirs if Path(path).is_dir()]
    pth_file = Path(purelib) / "djoser_bench_parent.pth"
    pth_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return python


def install(python, source_dir):
    """Install the exported revision, without its dependencies, into the virtualenv.

    ``--ignore-installed`` keeps pip from taking the running virtualenv's djoser, which it
    finds through the ``.pth`` file, as already installed (and from touching it).
    """
    workdir = source_dir.parent
    command = [
        str(python),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--ignore-installed",
        "--no-index",
    ]
    has_setuptools = subprocess.run(
        [str(python), "-c", "import setuptools, wheel"],
        capture_output=True,
        check=False,
        cwd=workdir,
    )
    if has_setuptools.returncode == 0:
        # Build with the setuptools already installed, so no download is needed.
        command.append("--no-build-isolation")
    else:
        # pip fetches the build requirements from the package index.
        command.remove("--no-index")
    subprocess.run([*command, str(source_dir)], check=True, cwd=workdir)
    # Run from the temporary directory: "python -c" puts the working directory on sys.path.
    located = subprocess.run(
        [str(python), "-c", "import djoser; print(djoser.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=workdir,
    ).stdout.strip()
    if not located.startswith(str(python.parent.parent)):
        raise SystemExit(
            f"The compared build imports djoser from {located}, not from its virtualenv."
        )


def child_arguments(args, json_path):
    arguments = [
        "--hasher",
        args.hasher,
        "--db",
        args.db,
        "--requests",
        str(args.requests),
        "--seconds",
        str(args.seconds),
        "--json",
        str(json_path),
    ]
    if args.only:
        arguments += ["--only", ",".join(args.only)]
    return arguments


def run_build(python, script, args, json_path):
    """Run the in-process benchmark with ``python``; return its report."""
    completed = subprocess.run(
        [str(python), str(script), *child_arguments(args, json_path)],
        stdout=subprocess.DEVNULL,
        check=False,
        cwd=json_path.parent,
    )
    if not json_path.exists():
        raise SystemExit(
            f"The benchmark run with {python} failed (exit status {completed.returncode})."
        )
    data = json.loads(json_path.read_text(encoding="utf-8"))
    json_path.unlink()
    return data


def merge_rounds(rounds):
    """Return one report whose timings are the medians over ``rounds``."""
    merged = rounds[-1]
    for index, result in enumerate(merged["results"]):
        runs = [data["results"][index] for data in rounds]
        for key in ("median_ms", "cpu_ms", "per_second", "hash_ms", "hash_ratio", "hash_cpu_ratio"):
            values = [run[key] for run in runs if run[key] is not None]
            result[key] = statistics.median(values) if values else None
        result["errors"] = sum(run["errors"] for run in runs)
    return merged


def main(args, script, current_revision):
    """Benchmark this tree and revision ``args.compare``; print both side by side."""
    repo_dir = script.parent.parent
    revision = subprocess.run(
        ["git", "-C", str(repo_dir), "rev-parse", "--short", args.compare],
        capture_output=True,
        text=True,
        check=False,
    )
    if revision.returncode != 0:
        raise SystemExit(f"{args.compare!r} is not a revision of {repo_dir}.")
    other_label = f"{args.compare} ({revision.stdout.strip()})"

    workdir = Path(tempfile.mkdtemp(prefix="djoser-bench-compare-"))
    try:
        print(f"Installing {other_label} into {workdir}/venv ...", file=sys.stderr)
        export_revision(repo_dir, args.compare, workdir / "src")
        other_python = create_virtualenv(workdir / "venv")
        install(other_python, workdir / "src")

        builds = {"current": sys.executable, "other": other_python}
        rounds = {"current": [], "other": []}
        for number in range(args.rounds):
            order = ["current", "other"] if number % 2 == 0 else ["other", "current"]
            for name in order:
                print(f"Round {number + 1} of {args.rounds}: {name} build ...", file=sys.stderr)
                json_path = workdir / f"{name}.json"
                rounds[name].append(run_build(builds[name], script, args, json_path))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    current = merge_rounds(rounds["current"])
    other = merge_rounds(rounds["other"])
    current["build"]["revision"] = current_revision
    other["build"]["revision"] = revision.stdout.strip()
    report.print_compare(current, other, current["build"]["revision"], other_label)
    if args.json:
        combined = {"current": current, "other": other}
        Path(args.json).write_text(json.dumps(combined, indent=2), encoding="utf-8")
    errors = sum(result["errors"] for data in (current, other) for result in data["results"])
    return 1 if errors else 0
