#!/usr/bin/env python3
"""Writes a synthetic Felis file of N tables for tools/bench.sh, or builds the
same schema as SQLAlchemy metadata (for Alembic's autogenerate, the reference of
`felisc drift`).

    tests/bench/felis_schema_gen.py TABLES [--schema NAME] [--add-column] > schema.yaml

Per table (about 2.5 KB of YAML, the size of a ConsDB table): 10 columns of the
usual ConsDB types with descriptions, UCDs and units, two defaults, a primary
key, a unique constraint, a check constraint, a foreign key to table i/2 (so
chains stay short: Alembic sorts tables recursively) and an index.
`--add-column` adds one nullable column to the middle table: the "one column
added" side of the diff benchmark. Deterministic: the same
arguments always give the same text.
"""
import argparse
import sys

# name, Felis datatype, extra Felis keys, nullable
COLUMNS = [
    ("id", "long", {}, False),
    ("day_obs", "int", {"value": "0"}, False),
    ("ra", "double", {"ivoa:unit": "deg"}, True),
    ("band", "string", {"length": "64"}, True),
    ("obs_start", "timestamp", {"precision": "6"}, True),
    ("note", "text", {}, True),
    ("flag", "boolean", {"value": "false"}, False),
    ("score", "float", {}, True),
    ("prev_id", "long", {}, True),
    ("code", "char", {"length": "8"}, True),
]


def table_name(i: int) -> str:
    return f"t{i:05d}"


def table_description(i: int) -> str:
    return f"Synthetic table {i} of the felisc benchmark, shaped like a ConsDB table."


def column_description(table: str, column: str) -> str:
    return f"Column {column} of table {table}; a sentence of the usual length for a description."


def table_yaml(i: int, add_column: bool) -> str:
    t = table_name(i)
    out = [
        f"- name: {t}",
        f'  "@id": "#{t}"',
        f"  description: {table_description(i)}",
        "  primaryKey:",
        f'  - "#{t}.id"',
        "  columns:",
    ]
    columns = list(COLUMNS)
    if add_column:
        columns.append(("added", "double", {}, True))
    for name, datatype, extra, nullable in columns:
        out += [
            f"  - name: {name}",
            f'    "@id": "#{t}.{name}"',
            f"    datatype: {datatype}",
        ]
        out += [f"    {key}: {value}" for key, value in extra.items()]
        if not nullable:
            out.append("    nullable: false")
        out += [
            f"    description: {column_description(t, name)}",
            "    ivoa:ucd: meta.id;meta.main" if name == "id" else "    ivoa:ucd: meta.note",
        ]
    out += [
        "  constraints:",
        f"  - name: {t}_un",
        f'    "@id": "#{t}_un"',
        '    "@type": Unique',
        "    description: An observing day and the parent row name one row.",
        "    columns:",
        f'    - "#{t}.day_obs"',
        f'    - "#{t}.prev_id"',
        f"  - name: {t}_ck",
        f'    "@id": "#{t}_ck"',
        '    "@type": Check',
        "    description: Right ascension is in range.",
        "    expression: ra >= 0 AND ra < 360",
    ]
    if i > 0:
        p = table_name(i // 2)
        out += [
            f"  - name: {t}_fk",
            f'    "@id": "#{t}_fk"',
            '    "@type": ForeignKey',
            "    description: The parent row.",
            "    columns:",
            f'    - "#{t}.prev_id"',
            "    referencedColumns:",
            f'    - "#{p}.id"',
        ]
    out += [
        "  indexes:",
        f"  - name: {t}_ra_idx",
        f'    "@id": "#{t}_ra_idx"',
        "    columns:",
        f'    - "#{t}.ra"',
    ]
    return "\n".join(out) + "\n"


def write_yaml(tables: int, schema: str, add_column: bool, out) -> None:
    out.write("---\n")
    out.write(f"name: {schema}\n")
    out.write(f'"@id": "#{schema}"\n')
    out.write(f"description: Synthetic schema of {tables} tables for tools/bench.sh.\n")
    # The added column is a minor change: the version says so (no FEL640 warning).
    out.write(f"version:\n  current: \"{'1.1.0' if add_column else '1.0.0'}\"\n")
    out.write("tables:\n")
    for i in range(tables):
        out.write(table_yaml(i, add_column and i == tables // 2))


def metadata(tables: int, schema: str):
    """The same schema as SQLAlchemy metadata, typed as felisc creates it."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql

    types = {
        "long": lambda _: sa.BigInteger(),
        "int": lambda _: sa.Integer(),
        "double": lambda _: postgresql.DOUBLE_PRECISION(),
        "string": lambda extra: sa.VARCHAR(int(extra["length"])),
        "timestamp": lambda extra: postgresql.TIMESTAMP(precision=int(extra["precision"])),
        "text": lambda _: sa.Text(),
        "boolean": lambda _: sa.Boolean(),
        "float": lambda _: postgresql.DOUBLE_PRECISION(),  # Felis float is double precision in PostgreSQL
        "char": lambda extra: sa.CHAR(int(extra["length"])),
    }
    meta = sa.MetaData(schema=schema)
    for i in range(tables):
        t = table_name(i)
        columns = []
        for name, datatype, extra, nullable in COLUMNS:
            args = []
            if name == "prev_id" and i > 0:
                args.append(sa.ForeignKey(f"{schema}.{table_name(i // 2)}.id", name=f"{t}_fk"))
            columns.append(sa.Column(name, types[datatype](extra), *args, nullable=nullable,
                                     primary_key=name == "id", autoincrement=False,
                                     comment=column_description(t, name)))
        sa.Table(t, meta, *columns,
                 sa.UniqueConstraint("day_obs", "prev_id", name=f"{t}_un"),
                 sa.CheckConstraint("ra >= 0 AND ra < 360", name=f"{t}_ck"),
                 sa.Index(f"{t}_ra_idx", "ra"), comment=table_description(i))
    return meta


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tables", type=int)
    parser.add_argument("--schema", default="bench")
    parser.add_argument("--add-column", action="store_true")
    args = parser.parse_args()
    write_yaml(args.tables, args.schema, args.add_column, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
