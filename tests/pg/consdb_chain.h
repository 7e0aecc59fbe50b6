/// \file
/// ConsDB's real states of cdb_latiss (../shared/consdb, its README): the chain
/// of 16 reviewed revisions, the SQL that replays each into the database ConsDB
/// had after it, the Felis version each migrated to, the database set-up the
/// revisions expect, and a row generated into every table. Shared by the tests
/// that plan from those databases (consdb_replay_test.cpp: verify and diff
/// --old-db; migrate_consdb_test.cpp: migrate --old-db with real Alembic).
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/pg_test_server.h"
#include "tests/support/test_paths.h"

namespace felisc::testing::consdb {

inline std::filesystem::path dir() { return sdmSchemasDir().parent_path() / "consdb"; }

/// One revision of sql/latiss/felis_versions.tsv.
struct Revision {
  int n = 0;                 ///< 1..16, the order of the chain
  std::string revision;      ///< Alembic's revision id
  std::string felis_before;  ///< history/cdb_latiss file it migrated from ("" for the first)
  std::string felis_after;   ///< history/cdb_latiss file it migrated to
};

inline std::vector<Revision> revisions() {
  std::ifstream in(dir() / "sql" / "latiss" / "felis_versions.tsv");
  std::vector<Revision> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, '\t')) fields.push_back(field);
    if (fields.size() < 4) continue;
    out.push_back(Revision{std::stoi(fields[0]), fields[1], fields[2], fields[3]});
  }
  return out;
}

/// sql/latiss/NN_<revision>.upgrade.sql: what real Alembic emits for it.
inline std::string upgradeScript(const Revision& revision) {
  char prefix[8];
  std::snprintf(prefix, sizeof prefix, "%02d_", revision.n);
  return readFile(dir() / "sql" / "latiss" / (prefix + revision.revision + ".upgrade.sql"));
}

/// The revision's file in alembic/latiss/versions/ (named "<revision>_<slug>.py").
inline std::filesystem::path revisionFile(const Revision& revision) {
  for (const auto& entry : std::filesystem::directory_iterator(dir() / "alembic" / "latiss" / "versions"))
    if (entry.path().filename().string().starts_with(revision.revision + "_")) return entry.path();
  return {};
}

/// What fills the NOT NULL columns revision `k` adds to tables that hold rows,
/// as ConsDB's reviewed revision fills them, for `--backfill`
/// (fixtures/consdb/latiss-NN.backfill.sql: 5 and 15); empty when none is needed.
inline std::filesystem::path backfillFile(std::size_t k) {
  const std::filesystem::path file =
      fixturesDir() / "consdb" / ((k < 10 ? "latiss-0" : "latiss-") + std::to_string(k) + ".backfill.sql");
  return std::filesystem::exists(file) ? file : std::filesystem::path();
}

/// ../shared/consdb/docker/alembic-setup.sql, made re-runnable (roles are the cluster's).
inline constexpr const char* kSetup = R"sql(
CREATE SCHEMA IF NOT EXISTS cdb;
CREATE SCHEMA IF NOT EXISTS cdb_latiss;
DO $$ BEGIN CREATE ROLE usdf; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE oods; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
)sql";

/// One row in every table of cdb_latiss, parents before children (a table whose
/// insert fails is retried after the others). Every number is 1, every string
/// 'x', so that foreign keys find their parent.
inline constexpr const char* kGenerateRows = R"sql(
DO $$
DECLARE
  t record;
  cols text;
  vals text;
  progress boolean := true;
  done text[] := '{}';
BEGIN
  WHILE progress LOOP
    progress := false;
    FOR t IN SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'cdb_latiss' AND c.relkind = 'r' AND NOT c.relname::text = ANY(done)
             ORDER BY c.relname LOOP
      SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
             string_agg(CASE
                 WHEN a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype) THEN '1'
                 WHEN a.atttypid IN ('float4'::regtype, 'float8'::regtype, 'numeric'::regtype) THEN '1.5'
                 WHEN a.atttypid = 'bool'::regtype THEN 'true'
                 WHEN a.atttypid IN ('timestamp'::regtype, 'timestamptz'::regtype, 'date'::regtype)
                   THEN '''2024-06-01 12:00:00'''
                 WHEN a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype) THEN '''x'''
                 ELSE 'NULL' END || '::' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
        INTO cols, vals
        FROM pg_attribute a
        WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
      BEGIN
        EXECUTE format('INSERT INTO cdb_latiss.%I (%s) OVERRIDING SYSTEM VALUE VALUES (%s)', t.relname, cols, vals);
        done := done || t.relname::text;
        progress := true;
      EXCEPTION WHEN OTHERS THEN NULL;
      END;
    END LOOP;
  END LOOP;
END $$;
)sql";

/// A database as ConsDB had it after revision `chain[count - 1]`: the set-up,
/// revisions 1..count replayed, a row in every table.
inline bool replay(ScratchDatabase& db, const std::vector<Revision>& chain, std::size_t count) {
  if (!db.exec(kSetup)) return false;
  for (std::size_t i = 0; i < count; ++i)
    if (!db.exec(upgradeScript(chain[i]))) return false;
  return db.exec(kGenerateRows);
}

/// Tables of cdb_latiss and their row counts, "table=count" sorted.
inline std::vector<std::string> rowCounts(ScratchDatabase& db) {
  std::vector<std::string> out;
  PgRows tables = db.query(
      "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = 'cdb_latiss' AND c.relkind = 'r' ORDER BY 1");
  for (const PgRow& row : tables) {
    const std::string table = row[0].value_or("");
    PgValue count = db.queryValue("SELECT count(*) FROM cdb_latiss.\"" + table + "\"");
    out.push_back(table + "=" + count.value_or("?"));
  }
  return out;
}

}  // namespace felisc::testing::consdb
