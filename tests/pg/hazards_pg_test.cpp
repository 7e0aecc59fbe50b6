// Hazards checked on PostgreSQL 15 itself:
//  - the lock hazards (diff_engine/hazards.h): every step of both directions of
//    every diff golden case and every real cdb_latiss history pair runs in its
//    own transaction, and the table locks it holds before COMMIT (pg_locks) are
//    exactly the waiting-making ones felisc claims for it, strongest per table,
//    on the tables that existed before the plan; claimed sequence locks are held;
//  - REWRITES_TABLE: ALTER COLUMN ... TYPE gives the table a new file exactly
//    when classifyTypeChange() says it rewrites (in a session TimeZone that is
//    not UTC), and timestamp <-> timestamptz does not in UTC.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "compiler/felis/reader.h"
#include "diff_engine/hazards.h"
#include "diff_engine/type_change.h"
#include "tests/pg/diff_roundtrip.h"
#include "tests/unit/diff_golden.h"

namespace felisc::testing {
namespace {

using diff::LockMode;
using diffcheck::q;

/// A pg_locks mode as a LockMode; nullopt for the modes that make nobody wait.
/// EXCLUSIVE, which felisc never claims, maps to ACCESS EXCLUSIVE so that a
/// statement taking it shows up as a mismatch.
std::optional<LockMode> waitingMode(const std::string& mode) {
  if (mode == "ShareLock") return LockMode::Share;
  if (mode == "ShareRowExclusiveLock") return LockMode::ShareRowExclusive;
  if (mode == "ExclusiveLock" || mode == "AccessExclusiveLock") return LockMode::AccessExclusive;
  return std::nullopt;
}

std::string render(const std::map<std::string, LockMode>& locks) {
  std::string out;
  for (const auto& [name, mode] : locks) out += " " + name + ":" + std::string(diff::lockModeName(mode));
  return out.empty() ? " (none)" : out;
}

/// Runs the steps of one direction of `plan` on `schema`, each in a transaction,
/// and compares the locks held with stepLocks(). Returns the number of steps checked.
int checkLocks(ScratchDatabase& db, const diff::Plan& plan, const diff::ForeignKeys& kept,
               diff::Direction direction, const std::string& schema, const std::string& label) {
  std::set<std::string> created;
  int checked = 0;
  for (const auto& step : plan.steps(direction)) {
    if (const auto* add = std::get_if<diff::AddTable>(&step.change)) created.insert(add->table.name);
    // The tables and sequences before the step, by oid (a lock on a dropped or
    // renamed relation is reported under its name before the step).
    std::map<std::string, std::pair<std::string, bool>> before;
    for (const auto& row : db.query("SELECT c.oid::text, c.relname, c.relkind = 'S' FROM pg_class c JOIN "
                                    "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = " +
                                    model::postgresQuoteLiteral(schema) + " AND c.relkind IN ('r', 'S')"))
      before[*row[0]] = {*row[1], *row[2] == "t"};
    EXPECT_TRUE(db.exec("BEGIN"));
    for (const auto& sql : step.sql) EXPECT_TRUE(db.exec(sql)) << label << ": " << sql;
    PgRows held = db.query(
        "SELECT relation::text, mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation'");
    EXPECT_TRUE(db.exec("COMMIT"));

    std::map<std::string, LockMode> tables;
    std::map<std::string, LockMode> sequences;
    for (const auto& row : held) {
      auto relation = before.find(row[0].value_or(""));
      auto mode = waitingMode(row[1].value_or(""));
      if (relation == before.end() || !mode) continue;
      const auto& [name, sequence] = relation->second;
      if (!sequence && created.contains(name)) continue;
      auto& target = sequence ? sequences : tables;
      auto [it, inserted] = target.emplace(name, *mode);
      if (!inserted) it->second = std::max(it->second, *mode);
    }
    std::map<std::string, LockMode> claimed_tables;
    for (const auto& lock : diff::stepLocks(step, created, kept)) {
      if (!lock.sequence) {
        claimed_tables[lock.relation] = lock.mode;
        continue;
      }
      auto held_sequence = sequences.find(lock.relation);
      EXPECT_TRUE(held_sequence != sequences.end() && held_sequence->second == lock.mode)
          << label << ": " << diff::describe(step.change) << ": claims " << diff::lockModeName(lock.mode)
          << " on sequence " << lock.relation << "; held:" << render(sequences);
    }
    EXPECT_EQ(render(claimed_tables), render(tables))
        << label << " (" << (direction == diff::Direction::Up ? "up" : "down")
        << "): " << diff::describe(step.change) << "\n  claimed vs held by:\n    " << [&] {
             std::string text;
             for (const auto& sql : step.sql) text += sql + ";\n    ";
             return text;
           }();
    ++checked;
  }
  return checked;
}

/// Both directions of the plan from `a` to `b`, on empty tables (every guard passes).
int checkPlanLocks(ScratchDatabase& db, const model::Schema& a, const model::Schema& b,
                   const std::string& label, const diff::DiffOptions& diff_options = {}) {
  const std::string work = "locks";
  EXPECT_TRUE(db.exec("DROP SCHEMA IF EXISTS " + q(work) + " CASCADE"));
  if (!diff_options.old_schema_absent) {
    EXPECT_TRUE(db.exec(emit::createSchemaSql(a, {.schema_name = work})));
  }
  diff::ChangeSet changes = diff::diffSchemas(a, b, diff_options);
  EXPECT_FALSE(changes.diagnostics.hasErrors()) << diffcheck::renderAll(changes.diagnostics);
  diff::PlanOptions options;
  options.schema = work;
  diff::Plan plan = diff::plan(changes, options);
  const diff::ForeignKeys kept = diff::keptForeignKeys(changes);
  int checked = checkLocks(db, plan, kept, diff::Direction::Up, work, label);
  checked += checkLocks(db, plan, kept, diff::Direction::Down, work, label);
  EXPECT_EQ(checked, static_cast<int>(plan.up.size() + plan.down.size())) << label;
  EXPECT_TRUE(db.exec("DROP SCHEMA IF EXISTS " + q(work) + " CASCADE"));
  return checked;
}

class LockHazardsPg : public ::testing::TestWithParam<std::string> {};

TEST_P(LockHazardsPg, TheLocksClaimedAreTheLocksHeld) {
  DiffCase diff_case = loadDiffCase(GetParam());
  ASSERT_TRUE(diff_case.ok) << diff_case.errors;
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  checkPlanLocks(db, diff_case.old_schema, diff_case.new_schema, GetParam(), diff_case.diff_options);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, LockHazardsPg, ::testing::ValuesIn(diffCases()),
                         [](const ::testing::TestParamInfo<std::string>& case_info) {
                           return case_info.param;
                         });

TEST(LockHazardsHistoryPg, TheLocksClaimedAreTheLocksHeldForEveryRealPair) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(sdmSchemasDir() / "history" / "cdb_latiss"))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 33U);
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  auto read = [](const std::filesystem::path& path) {
    felis::ReadOptions options;
    options.strict_felis = false;
    felis::ReadResult result = felis::readFelisFile(path.string(), options);
    EXPECT_TRUE(result.schema != nullptr) << path;
    return result.schema ? *result.schema : model::Schema{};
  };
  int checked = 0;
  for (std::size_t i = 0; i + 1 < files.size(); ++i)
    checked += checkPlanLocks(db, read(files[i]), read(files[i + 1]),
                              files[i].filename().string() + " -> " + files[i + 1].filename().string());
  EXPECT_GT(checked, 300);  // steps of both directions over the 32 pairs
}

// ---- REWRITES_TABLE ---------------------------------------------------------------

const std::vector<std::string> kTypes = {
    "smallint",
    "integer",
    "bigint",
    "real",
    "double precision",
    "numeric",
    "numeric(10,2)",
    "numeric(12,2)",
    "numeric(12,3)",
    "boolean",
    "character(8)",
    "character(12)",
    "character varying(8)",
    "character varying(12)",
    "character varying",
    "text",
    "timestamp(6) without time zone",
    "timestamp(3) without time zone",
    "timestamp with time zone",
    "timestamp(3) with time zone",
    "date",
};

/// Whether ALTER COLUMN ... TYPE gave the table a new file; nullopt when PostgreSQL refused the change.
std::optional<bool> rewrote(ScratchDatabase& db, const std::string& from, const std::string& to) {
  diff::TypeChange change = diff::classifyTypeChange(from, to, "c");
  EXPECT_TRUE(db.exec("DROP TABLE IF EXISTS t; CREATE TABLE t (c " + from + ")"));
  PgValue before = db.queryValue("SELECT pg_relation_filenode('t')::text");
  std::string sql = "ALTER TABLE t ALTER COLUMN c TYPE " + to;
  if (change.needs_using) sql += " USING " + change.using_expr;
  if (!db.tryExec(sql).ok) return std::nullopt;
  return before != db.queryValue("SELECT pg_relation_filenode('t')::text");
}

TEST(RewriteHazardPg, TheTableIsRewrittenExactlyWhenClassifiedSo) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec("SET TimeZone = 'America/Santiago'"));
  std::string mismatches;
  int compared = 0;
  for (const auto& from : kTypes) {
    for (const auto& to : kTypes) {
      if (from == to) continue;
      std::optional<bool> rewritten = rewrote(db, from, to);
      if (!rewritten) continue;  // no conversion at all: the type-change test covers those
      ++compared;
      bool claimed = diff::classifyTypeChange(from, to, "c").rewrites;
      if (claimed != *rewritten)
        mismatches += from + " -> " + to + ": rewrites=" + (claimed ? "true" : "false") + ", server " +
                      (*rewritten ? "rewrote" : "did not rewrite") + "\n";
    }
  }
  EXPECT_EQ(mismatches, "");
  EXPECT_GT(compared, 350);

  // In UTC timestamp and timestamptz hold the same instants: no rewrite, as the message says.
  ASSERT_TRUE(db.exec("SET TimeZone = 'UTC'"));
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"timestamp(6) without time zone", "timestamp with time zone"},
           {"timestamp with time zone", "timestamp(6) without time zone"},
           {"timestamp(3) without time zone", "timestamp with time zone"}}) {
    EXPECT_TRUE(diff::classifyTypeChange(from, to, "c").rewrite_skipped_in_utc) << from << " -> " << to;
    EXPECT_EQ(rewrote(db, from, to), false) << from << " -> " << to;
  }
  EXPECT_FALSE(diff::classifyTypeChange("timestamp(6) with time zone", "timestamp(3) without time zone", "c")
                   .rewrite_skipped_in_utc);
  EXPECT_EQ(rewrote(db, "timestamp(6) with time zone", "timestamp(3) without time zone"), true);
}

}  // namespace
}  // namespace felisc::testing
