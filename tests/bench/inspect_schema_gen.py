#!/usr/bin/env python3
"""Writes the SQL of a synthetic schema for the `felisc inspect` benchmark.

    tests/bench/inspect_schema_gen.py TABLES [SCHEMA] > schema.sql

Per table: 10 columns of the usual ConsDB types (a bigserial key, defaults,
NOT NULL, varchar, timestamp(6), real, char), a comment on the table and on
four columns, a primary key, a unique constraint, a check constraint, a foreign
key to the previous table, and a plain index. Every tenth table also gets a view
over it, with a comment. So 10,000 tables are 100,000 columns, 40,000
constraints, 30,000 indexes and 1,000 views. Deterministic: the same arguments
always give the same text.
"""
import sys


def table_sql(schema: str, i: int) -> str:
    t = f"{schema}.t{i:05d}"
    lines = [
        f"CREATE TABLE {t} (",
        "  id bigserial PRIMARY KEY,",
        "  day_obs integer NOT NULL DEFAULT 0,",
        "  ra double precision,",
        "  band character varying(64) DEFAULT 'r',",
        "  obs_start timestamp(6) without time zone DEFAULT CURRENT_TIMESTAMP,",
        "  note text,",
        "  flag boolean NOT NULL DEFAULT false,",
        "  score real,",
        "  prev_id bigint,",
        "  code character(8),",
        f"  CONSTRAINT t{i:05d}_un UNIQUE (day_obs, prev_id),",
        f"  CONSTRAINT t{i:05d}_ck CHECK (ra >= 0 AND ra < 360)",
        ");",
        f"COMMENT ON TABLE {t} IS 'Synthetic table {i} for the inspect benchmark.';",
        f"COMMENT ON COLUMN {t}.id IS 'Unique identifier.';",
        f"COMMENT ON COLUMN {t}.day_obs IS 'Day of observation.';",
        f"COMMENT ON COLUMN {t}.ra IS 'Right ascension, ''ICRS''.';",
        f"COMMENT ON COLUMN {t}.band IS 'Name of the band.';",
        f"CREATE INDEX t{i:05d}_ra_idx ON {t} (ra);",
    ]
    if i > 0:
        lines.append(
            f"ALTER TABLE {t} ADD CONSTRAINT t{i:05d}_fk FOREIGN KEY (prev_id) "
            f"REFERENCES {schema}.t{i - 1:05d} (id);")
    if i % 10 == 0:
        lines.append(f"CREATE VIEW {schema}.v{i:05d} AS SELECT id, day_obs, ra FROM {t} WHERE flag;")
        lines.append(f"COMMENT ON VIEW {schema}.v{i:05d} IS 'Flagged rows of table {i}.';")
    return "\n".join(lines) + "\n"


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    tables = int(sys.argv[1])
    schema = sys.argv[2] if len(sys.argv) == 3 else "bench"
    out = sys.stdout
    out.write(f"CREATE SCHEMA {schema};\n")
    # One transaction per 500 tables keeps the lock table small and the load fast.
    for start in range(0, tables, 500):
        out.write("BEGIN;\n")
        for i in range(start, min(tables, start + 500)):
            out.write(table_sql(schema, i))
        out.write("COMMIT;\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
