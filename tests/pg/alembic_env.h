/// \file
/// A throwaway Alembic project for tests that run felisc's revisions with the
/// real Alembic (Debian's python3-alembic, /usr/bin/python3): alembic.ini and
/// an env.py shaped like ConsDB's (the version table in schema `cdb`), the
/// connection given as a libpq conninfo.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/run_command.h"

namespace felisc::testing::alembic_env {

inline constexpr const char* kPython = "/usr/bin/python3";

/// ConsDB's env.py reduced to what a test needs. Online, the connection comes
/// from config.attributes["dsn"] (the batch driver) or $FELISC_ALEMBIC_DSN (the
/// alembic command); offline (--sql) it writes PostgreSQL without connecting.
inline constexpr const char* kEnvPy = R"(import os

import psycopg2
import sqlalchemy as sa
from alembic import context

config = context.config
version_table = (
    config.attributes.get("version_table")
    or config.get_main_option("felisc.version_table")
    or "alembic_version"
)


def run_migrations_offline() -> None:
    context.configure(
        url="postgresql://",
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        version_table=version_table,
        version_table_schema="cdb",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    dsn = config.attributes.get("dsn") or os.environ["FELISC_ALEMBIC_DSN"]
    engine = sa.create_engine(
        "postgresql+psycopg2://", creator=lambda: psycopg2.connect(dsn), poolclass=sa.pool.NullPool
    )
    with engine.connect() as connection:
        context.configure(connection=connection, version_table=version_table, version_table_schema="cdb")
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
)";

/// Runs Alembic commands for many projects in one Python process (starting
/// Python and importing SQLAlchemy costs about a second). Reads a JSON list of
/// {name, dir, dsn, command: upgrade|downgrade, target, sql_out (offline when
/// set), version_table}; prints "ok <name>" or "FAILED <name>" and a traceback.
inline constexpr const char* kBatchDriver = R"(import json
import sys
import traceback

from alembic import command
from alembic.config import Config

for job in json.load(open(sys.argv[1])):
    out = open(job["sql_out"], "w") if job.get("sql_out") else None
    config = Config(job["dir"] + "/alembic.ini", output_buffer=out)
    config.attributes["dsn"] = job["dsn"]
    if job.get("version_table"):
        config.attributes["version_table"] = job["version_table"]
    try:
        run = command.upgrade if job["command"] == "upgrade" else command.downgrade
        run(config, job["target"], sql=out is not None)
        print("ok", job["name"])
    except Exception:
        print("FAILED", job["name"])
        traceback.print_exc(file=sys.stdout)
    finally:
        if out is not None:
            out.close()
)";

/// Writes alembic.ini and env.py into `dir` (the revisions go into dir/versions).
inline void writeProject(const std::filesystem::path& dir, const std::string& version_table) {
  std::filesystem::create_directories(dir / "versions");
  std::ofstream(dir / "alembic.ini")
      << "[alembic]\nscript_location = %(here)s\nversion_locations = %(here)s/versions\n"
      << "felisc.version_table = " << version_table << "\n";
  std::ofstream(dir / "env.py") << kEnvPy;
}

/// `python3 -m alembic -c dir/alembic.ini <args>` against the database `dsn`.
inline CommandResult run(const std::filesystem::path& dir, std::vector<std::string> args,
                         const std::string& dsn) {
  args.insert(args.begin(), {kPython, "-m", "alembic", "-c", (dir / "alembic.ini").string()});
  return runCommand(args, {{"FELISC_ALEMBIC_DSN", dsn}});
}

}  // namespace felisc::testing::alembic_env
