#!/usr/bin/env python3
"""The measuring half of tools/bench.sh (which builds felisc and starts the server).

    whole_commands.py --felisc BIN --port N --work DIR --corpus DIR [--quick]

Runs every row of issue 17 as whole processes, each beside its reference in the
same run, and prints a Markdown table of medians (wall time, and the largest
resident set of any repetition) and ratios. Repetitions alternate between felisc
and its reference, so a burst of load on the shared machine hits both.
Prepares, for each size, a generated Felis file (felis_schema_gen.py), a
database `bench_N` created from it with `felisc create`, and the same file with
one column added (the other side of the diff row).
"""
import argparse
import glob
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"  # Debian's, with python3-yaml (libyaml) and python3-alembic
PG_BIN = "/usr/lib/postgresql/15/bin"
BEFORE = [None]  # --before
SKIP = [None]  # --skip


def run_once(argv, env=None, ok_codes=(0,)):
    """Wall seconds and max RSS (MB) of one whole process; fails loudly on a bad exit."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a chatty process cannot block on it
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in ok_codes:
            err.seek(0)
            text = err.read().decode(errors="replace")
            sys.exit(f"bench: failed ({process.returncode}): {' '.join(argv)}\n{text[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024.0


class Row:
    def __init__(self, name, felisc, reference, ref_name, reps, target=None, input_mb=None, before=True,
                 ok_codes=(0,)):
        self.ok_codes = ok_codes  # felisc's exit codes that are not a failure
        self.name, self.felisc, self.reference, self.ref_name = name, felisc, reference, ref_name
        self.reps, self.target, self.input_mb = reps, target, input_mb
        self.times, self.rss, self.ref_times, self.ref_rss = [], [], [], []
        self.before_times, self.before_rss = [], []
        # The same command with another felisc binary (--before), measured alternately.
        self.before = [BEFORE[0], *felisc[1:]] if BEFORE[0] and before else None

    def measure(self, ref_reps=None):
        if SKIP[0] and re.search(SKIP[0], self.name):
            return self
        ref_reps = self.reps if ref_reps is None else ref_reps
        for i in range(max(self.reps, ref_reps)):
            if i < self.reps:
                t, m = run_once(self.felisc, ok_codes=self.ok_codes)
                self.times.append(t)
                self.rss.append(m)
                if self.before:
                    t, m = run_once(self.before, ok_codes=self.ok_codes)
                    self.before_times.append(t)
                    self.before_rss.append(m)
            if self.reference and i < ref_reps:
                t, m = run_once(self.reference)
                self.ref_times.append(t)
                self.ref_rss.append(m)
        return self


def ms(seconds):
    return f"{seconds * 1e3:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def psql(port, db, sql=None, file=None):
    argv = [f"{PG_BIN}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(port),
            "-U", "postgres", "-d", db]
    argv += ["-c", sql] if sql else ["-f", file]
    env = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")  # no "does not exist, skipping"
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)


def prepare(size, args):
    """The Felis files and the database of one size; returns (old, new, db, conninfo)."""
    old = os.path.join(args.work, f"bench_{size}.yaml")
    new = os.path.join(args.work, f"bench_{size}_new.yaml")
    sql = os.path.join(args.work, f"bench_{size}.sql")
    gen = [PYTHON, os.path.join(HERE, "felis_schema_gen.py"), str(size)]
    with open(old, "w") as f:
        subprocess.run(gen, check=True, stdout=f)
    with open(new, "w") as f:
        subprocess.run(gen + ["--add-column"], check=True, stdout=f)
    with open(sql, "w") as f:
        subprocess.run([args.felisc, "create", old], check=True, stdout=f)
    db = f"bench_{size}"
    psql(args.port, "postgres", f"DROP DATABASE IF EXISTS {db}")
    psql(args.port, "postgres", f"CREATE DATABASE {db}")
    psql(args.port, db, file=sql)
    psql(args.port, db, "VACUUM ANALYZE")
    return old, new, db, f"host=127.0.0.1 port={args.port} user=postgres dbname={db}"


def print_row(row, with_before):
    """One line of the table, printed as soon as the row is measured."""
    if not row.times:
        return  # skipped
    t = statistics.median(row.times)
    rss = max(row.rss)
    memory = f"{rss:,.0f} MB" + (f" ({rss / row.input_mb:.1f}x input)" if row.input_mb else "")
    ratio, reference = "", ""
    if row.ref_times:
        r = statistics.median(row.ref_times)
        if row.ref_name == "`/bin/true`":
            ratio = f"+{(t - r) * 1e3:.1f} ms over it"
        elif row.ref_name == "`pg_dump --schema-only`":
            ratio = f"{t / r:.2f} of it"
        else:
            ratio = f"{r / t:.1f}x faster"
        reference = f"{ms(r)} (n={len(row.ref_times)})"
    before = ""
    if with_before:
        before = "— | "
        if row.before_times:
            before = f"{ms(statistics.median(row.before_times))}, {max(row.before_rss):,.0f} MB | "
    print(f"| {row.name} | {before}{ms(t)} (n={len(row.times)}) | {memory} | {row.ref_name} | {reference} | "
          f"{ratio} | {row.target or ''} |", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--felisc", required=True)
    parser.add_argument("--port", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--skip", help="a regular expression: rows whose name matches are not measured")
    parser.add_argument("--sizes", help="table counts, comma-separated (default 1000,10000; --quick 1000)")
    parser.add_argument("--before", help="another felisc binary, measured beside (a 'before' column)")
    args = parser.parse_args()

    quick = args.quick
    BEFORE[0] = args.before
    SKIP[0] = args.skip
    sizes = [int(n) for n in args.sizes.split(",")] if args.sizes else [1000] if quick else [1000, 10000]
    fast = 3 if quick else 11  # repetitions of sub-second commands
    slow = 1 if quick else 3  # of the ones that take seconds
    felisc = args.felisc
    before = "before | " if args.before else ""
    print(f"| command | {before}felisc | max RSS | reference (same run) | reference | ratio | target |")
    print("|---|---|---|---|---|---|---|" + ("---|" if args.before else ""), flush=True)
    rows = []

    def add(row):
        rows.append(row)
        print_row(row, bool(args.before))
        return row

    # Start-up: no reference does the same work; /bin/true is the floor (fork+exec).
    add(Row("`felisc --version` (start-up)", [felisc, "--version"], ["/bin/true"], "`/bin/true`",
                    fast * 3, "<= 5 ms").measure())

    corpus = sorted(glob.glob(os.path.join(args.corpus, "*.yaml")))
    corpus_mb = sum(os.path.getsize(f) for f in corpus) / 2**20
    load = ("import sys, yaml\nfor name in sys.argv[1:]:\n"
            "    with open(name, encoding='utf-8') as f: yaml.load(f, Loader=yaml.CSafeLoader)\n")
    add(Row(f"`felisc validate yml/*.yaml` ({len(corpus)} files, {corpus_mb:.1f} MB)",
                    [felisc, "validate", *corpus], [PYTHON, "-c", load, *corpus],
                    "Python `yaml.load(CSafeLoader)`, whole process", fast, ">= 8x", corpus_mb).measure())

    for size in sizes:
        old, new, db, conninfo = prepare(size, args)
        input_mb = os.path.getsize(old) / 2**20
        light = (fast if quick else 5) if size <= 1000 else slow  # inspect, diff, drift --read-only
        reps = 1  # drift, verify and Alembic: minutes each on a loaded machine
        print(f"bench: {size:,} tables", file=sys.stderr, flush=True)
        add(Row(f"`felisc inspect` {size:,} tables", [felisc, "inspect", conninfo, "--schema", "bench"],
                        [f"{PG_BIN}/pg_dump", "--schema-only", "-n", "bench", "-h", "127.0.0.1", "-p",
                         str(args.port), "-U", "postgres", db],
                        "`pg_dump --schema-only`", light, "<= 0.3 of it", input_mb).measure())
        alembic = [PYTHON, os.path.join(HERE, "alembic_autogen.py"),
                   f"postgresql+psycopg2://postgres@127.0.0.1:{args.port}/{db}", str(size)]
        ref_reps = reps
        drift = Row(f"`felisc drift` {size:,} tables, no change", [felisc, "drift", conninfo, old], alembic,
                    "Alembic no-change autogenerate", reps, ">= 100x", input_mb, before=False).measure(ref_reps)
        add(drift)
        # --read-only compares expressions as written (modulo parentheses, white space and
        # case), so PostgreSQL's spelling of the check constraints shows as drift: exit 1.
        for name, argv, n, codes in (
                ("`felisc drift --read-only`", [felisc, "drift", "--read-only", conninfo, old], light, (0, 1)),
                ("`felisc verify DB FILE`", [felisc, "verify", conninfo, old], reps, (0,))):
            row = Row(f"{name} {size:,} tables, no change", argv, None, "Alembic no-change autogenerate",
                      n, ">= 100x", input_mb, before=n > 1, ok_codes=codes).measure()
            row.ref_times, row.ref_rss = drift.ref_times, drift.ref_rss  # same reference, measured once
            add(row)
        add(Row(f"`felisc diff A B` {size:,} tables, one column added ({input_mb:.0f} MB each)",
                        [felisc, "diff", old, new], [PYTHON, "-c", load, old],
                        "Python CSafeLoader load of one file", light,
                        "<= 1 s, <= 250 MB" if size >= 10000 else None, input_mb, ok_codes=(0, 1)).measure())


if __name__ == "__main__":
    main()
