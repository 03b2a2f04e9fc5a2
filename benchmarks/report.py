"""Print benchmark results as plain-text tables."""


def count(value):
    """Format a per-request count: whole numbers as they are, averages with one decimal."""
    if value is None:
        return "-"
    if abs(value - round(value)) < 1e-9:
        return str(int(round(value)))
    return f"{value:.1f}"


def number(value, digits=1):
    return "-" if value is None else f"{value:,.{digits}f}"


def ratio(new, old):
    if not new or not old:
        return "-"
    return f"{new / old:.2f}"


def table(headers, rows, align):
    """Return the lines of a table; ``align`` has "<" or ">" for each column."""
    widths = [len(header) for header in headers]
    for row in rows:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row)]

    def line(cells):
        padded = (f"{cell:{side}{width}}" for cell, side, width in zip(cells, align, widths))
        return "  ".join(padded).rstrip()

    return [line(headers), line(["-" * width for width in widths])] + [line(row) for row in rows]


def print_build(build, title):
    print(title)
    print(
        f"  djoser {build['djoser']} ({build.get('revision', '?')}), Django {build['django']}, "
        f"DRF {build['drf']}, Python {build['python']}"
    )
    print(f"  database {build['database']}, password hasher {build['hasher']}")
    print(f"  machine: {build['cpu']}, {build['cores']} cores")
    print()


def print_errors(results):
    for result in results:
        if result.get("errors"):
            print(
                f"  {result['name']}: {result['errors']} unexpected responses, "
                f"first: {result['error_sample']}"
            )


def print_in_process(data):
    print_build(data["build"], "In-process benchmark (DRF test client), per request:")
    headers = [
        "endpoint",
        "queries",
        "hashes",
        "emails",
        "req/s",
        "median ms",
        "CPU ms",
        "errors",
        "notes",
    ]
    rows = [
        [
            result["name"],
            count(result["queries"]),
            count(result["hashes"]),
            count(result["emails"]),
            number(result["per_second"]),
            number(result["median_ms"], 2),
            number(result["cpu_ms"], 2),
            str(result["errors"]),
            result["notes"],
        ]
        for result in data["results"]
    ]
    for line in table(headers, rows, "<>>>>>>><"):
        print(line)
    print()
    print_hash_floor(data)
    print_errors(data["results"])


def print_hash_floor(data):
    """Print request time over the time of one hash for the hash-bound endpoints."""
    rows = [result for result in data["results"] if result.get("hash_ms")]
    if not rows:
        return
    if "md5" in data["build"]["hasher"]:
        print("Run with --hasher default to compare login and sign-up times with one hash.")
        print()
        return
    print("Request time over the time of one hash (the mean of a hash timed before and one")
    print("after each request), median over the requests; the goal is within 3% of the hash:")
    for result in rows:
        wall = result["hash_ratio"]
        cpu = result["hash_cpu_ratio"]
        print(
            f"  {result['name']}: wall clock {wall:.3f} x ({(wall - 1) * 100:+.1f}%), "
            f"CPU {cpu:.3f} x ({(cpu - 1) * 100:+.1f}%); one hash {result['hash_ms']:.1f} ms"
        )
    print()


def print_load(data):
    print_build(data["build"], "Load test (gunicorn on 127.0.0.1):")
    settings = data["load"]
    print(
        f"  {settings['workers']} gunicorn workers, {settings['concurrency']} client threads, "
        f"at most {settings['max_requests']} requests or {settings['max_seconds']:g} s "
        "per endpoint"
    )
    print()
    headers = ["endpoint", "requests", "errors", "req/s", "p50 ms", "p99 ms"]
    rows = [
        [
            result["name"],
            str(result["requests"]),
            str(result["errors"]),
            number(result["per_second"]),
            number(result["p50_ms"], 2),
            number(result["p99_ms"], 2),
        ]
        for result in data["results"]
    ]
    for line in table(headers, rows, "<>>>>>"):
        print(line)
    print()
    print_errors(data["results"])


def print_compare(current, other, current_label, other_label):
    """Print two in-process reports side by side, with this tree over the other build."""
    print_build(current["build"], f"This tree ({current_label}):")
    print_build(other["build"], f"Compared with {other_label}:")
    print(
        "Per request; for each build the median over its rounds. Ratios are this tree over "
        f"{other_label}: req/s above 1 and CPU ms below 1 mean this tree is faster."
    )
    headers = [
        "endpoint",
        "queries",
        "hashes",
        "emails",
        "req/s",
        "req/s other",
        "ratio",
        "CPU ms",
        "CPU ms other",
        "ratio",
    ]
    rows = compare_rows(current["results"], other["results"])
    for line in table(headers, rows, "<>>>>>>>>>"):
        print(line)
    print("  (counts show this tree / the other build where they differ)")
    print()
    print_hash_floor(current)
    print_errors(current["results"])
    print_errors(other["results"])


def compare_rows(results, other_results):
    """Return one table row per endpoint of ``results``, beside the other build's values."""
    others = {result["name"]: result for result in other_results}
    rows = []
    for result in results:
        theirs = others.get(result["name"], {})
        rows.append(
            [
                result["name"],
                pair(result.get("queries"), theirs.get("queries")),
                pair(result.get("hashes"), theirs.get("hashes")),
                pair(result.get("emails"), theirs.get("emails")),
                number(result["per_second"]),
                number(theirs.get("per_second")),
                ratio(result["per_second"], theirs.get("per_second")),
                number(result["cpu_ms"], 2),
                number(theirs.get("cpu_ms"), 2),
                ratio(result["cpu_ms"], theirs.get("cpu_ms")),
            ]
        )
    return rows


def pair(mine, theirs):
    if theirs is None or count(mine) == count(theirs):
        return count(mine)
    return f"{count(mine)} / {count(theirs)}"


def print_statements(data):
    """Print the SQL that the last timed request of each endpoint ran."""
    for result in data["results"]:
        print(f"{result['name']}:")
        for sql in result["statements"]:
            print(f"  {sql}")
        print()
