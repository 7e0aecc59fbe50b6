#!/usr/bin/env python3
"""Alembic's no-change autogenerate: the reference of `felisc drift` in tools/bench.sh.

    tests/bench/alembic_autogen.py URL TABLES [SCHEMA]

Builds the SQLAlchemy metadata of tests/bench/felis_schema_gen.py's schema (the
same one the benchmark created in the database from the Felis file) and compares
it with the database as `alembic revision --autogenerate` does
(alembic.autogenerate.compare_metadata, types compared). Prints the number of
differences found, and fails when there is any: on the schema as created
there is none.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sqlalchemy as sa  # noqa: E402
from alembic.autogenerate import compare_metadata  # noqa: E402
from alembic.migration import MigrationContext  # noqa: E402

import felis_schema_gen  # noqa: E402


def main() -> int:
    url, tables = sys.argv[1], int(sys.argv[2])
    schema = sys.argv[3] if len(sys.argv) > 3 else "bench"
    meta = felis_schema_gen.metadata(tables, schema)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_schemas": True, "compare_type": True,
                              "include_name": lambda name, kind, _parent:
                                  kind != "schema" or name == schema})
        diffs = compare_metadata(context, meta)
    print(len(diffs))
    # Not a no-change run if Alembic sees a difference: then the metadata above
    # does not say what felisc created, and the comparison would mean little.
    for d in diffs[:5]:
        print(d, file=sys.stderr)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
