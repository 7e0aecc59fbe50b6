// Online plans (diff_engine/online.h) on a real PostgreSQL.
//
// 1. The round-trip property of normal plans (diff_roundtrip.h) holds for their
//    online form, sent statement by statement: every fixtures/diff case (with rows
//    and empty), random pairs (random_schema.h; FELISC_DIFF_ONLINE_CASES, default
//    60, from FELISC_DIFF_SEED), and the consecutive pairs of the cdb_latiss
//    history whose online plan differs from the plan, both ways.
// 2. What online is for: while the online plan's CREATE INDEX CONCURRENTLY builds
//    an index on a table of 1M rows, a second connection's inserts complete (a
//    third connection sees the build in progress before and after them); with the
//    normal plan's CREATE INDEX, the same insert waits and its lock_timeout fires.
#include <gtest/gtest.h>

#include <libpq-fe.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "compiler/felis/reader.h"
#include "tests/pg/diff_roundtrip.h"
#include "tests/support/corpus.h"
#include "tests/support/random_schema.h"
#include "tests/support/test_paths.h"
#include "tests/unit/diff_golden.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// ---- 1. Round trips --------------------------------------------------------

class DiffOnlineGoldenPg : public ::testing::TestWithParam<std::string> {};

TEST_P(DiffOnlineGoldenPg, RoundTripWithRows) {
  DiffCase diff_case = loadDiffCase(GetParam());
  ASSERT_TRUE(diff_case.ok) << diff_case.errors;
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  diffcheck::checkRoundTrip(db, diff_case.old_schema, diff_case.new_schema, GetParam() + " (online)", 3,
                            diff_case.diff_options, /*online=*/true);
}

TEST_P(DiffOnlineGoldenPg, RoundTripEmpty) {
  DiffCase diff_case = loadDiffCase(GetParam());
  ASSERT_TRUE(diff_case.ok) << diff_case.errors;
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  diffcheck::checkRoundTrip(db, diff_case.old_schema, diff_case.new_schema, GetParam() + " (online)", 0,
                            diff_case.diff_options, /*online=*/true);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DiffOnlineGoldenPg, ::testing::ValuesIn(diffCases()),
                         [](const ::testing::TestParamInfo<std::string>& case_info) {
                           return case_info.param;
                         });

std::uint64_t fromEnvironment(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value == nullptr ? fallback : std::strtoull(value, nullptr, 10);
}

TEST(DiffOnlineRandom, RoundTripOnRandomPairs) {
  const std::uint64_t seed = fromEnvironment("FELISC_DIFF_SEED", 20260101);
  const std::uint64_t cases = fromEnvironment("FELISC_DIFF_ONLINE_CASES", 60);
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  std::size_t online_steps = 0;
  for (std::uint64_t i = 0; i < cases; ++i) {
    RandomSchemas generator(seed + i);
    model::Schema a = RandomSchemas::resolved(generator.schema());
    model::Schema b = RandomSchemas::resolved(generator.mutate(a));
    if (i % 2 == 1) std::swap(a, b);
    const std::string label = "online, seed " + std::to_string(seed + i) +
                              " (FELISC_DIFF_SEED=" + std::to_string(seed + i) +
                              " FELISC_DIFF_ONLINE_CASES=1" + (i % 2 == 1 ? ", reversed" : "") + ")";
    diff::Plan online = diff::makeOnline(diff::plan(diff::diffSchemas(a, b)));
    for (const auto& step : online.up) online_steps += step.note.empty() ? 0 : 1;
    diffcheck::checkRoundTrip(db, a, b, label, 3, {}, /*online=*/true);
    if (HasFailure()) break;  // the first failing case is the one to replay
  }
  std::cout << "[ DiffOnlineRandom ] " << cases << " cases from seed " << seed << ", " << online_steps
            << " upgrade steps rewritten online\n";
  if (cases >= 60) {
    EXPECT_GT(online_steps, cases / 2) << "the pairs exercise the online rewrite";
  }
}

model::Schema readVersion(const fs::path& file) { return readCorpusSchema(file); }

/// Whether makeOnline() rewrote anything of `a` -> `b`, either way.
bool hasOnlineSteps(const model::Schema& a, const model::Schema& b) {
  diff::Plan online = diff::makeOnline(diff::plan(diff::diffSchemas(a, b)));
  for (auto direction : {diff::Direction::Up, diff::Direction::Down})
    for (const auto& step : online.steps(direction))
      if (!step.note.empty()) return true;
  return false;
}

// The pairs whose online plan differs from the plan (DiffHistory runs the plans).
TEST(DiffOnlineHistory, ConsecutivePairsWithOnlineStepsBothWays) {
  std::vector<fs::path> files = yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss");
  ASSERT_GE(files.size(), 33u);
  std::vector<model::Schema> versions;
  for (const auto& file : files) versions.push_back(readVersion(file));
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  std::string tested;
  for (std::size_t i = 0; i + 1 < versions.size(); ++i) {
    if (!hasOnlineSteps(versions[i], versions[i + 1])) continue;
    const std::string from = files[i].filename().string().substr(0, 2);
    const std::string to = files[i + 1].filename().string().substr(0, 2);
    tested += " " + from + "->" + to;
    diffcheck::checkRoundTrip(db, versions[i], versions[i + 1], "online " + from + "->" + to, 3, {}, true);
    diffcheck::checkRoundTrip(db, versions[i + 1], versions[i], "online " + to + "->" + from, 3, {}, true);
    if (HasFailure()) break;
  }
  std::cout << "[ DiffOnlineHistory ] pairs with online steps, both ways:" << tested << "\n";
  EXPECT_FALSE(tested.empty());
}

// ---- 2. Concurrent writes during the index build ----------------------------

constexpr int kRows = 1'000'000;

/// A Felis-level model of the test table, with or without its index.
model::Schema bigSchema(bool with_index) {
  model::Schema schema;
  schema.name = "live";
  model::Table table;
  table.name = "big";
  model::Column id;
  id.name = "id";
  id.datatype = model::FelisType::Long;
  id.nullable = false;
  model::Column payload;
  payload.name = "payload";
  payload.datatype = model::FelisType::Text;
  table.columns = {id, payload};
  table.primary_key = model::PrimaryKey{"", {"id"}, {}};
  if (with_index) {
    model::Index index;
    index.name = "big_payload";
    index.elements = {{"payload", false}};
    table.indexes.push_back(index);
  }
  schema.tables.push_back(table);
  return RandomSchemas::resolved(schema);
}

/// The upgrade script that adds the index, as statements: online or not.
std::vector<std::string> addIndexStatements(bool online) {
  diff::Plan plan = diff::plan(diff::diffSchemas(bigSchema(false), bigSchema(true)));
  if (online) plan = diff::makeOnline(std::move(plan));
  return emit::planStatements(plan, diff::Direction::Up);
}

/// Whether a CREATE INDEX of backend `pid` is in progress (pg_stat_progress_create_index).
bool buildInProgress(PgConnection& monitor, const std::string& pid) {
  return monitor.queryValue("SELECT count(*) FROM pg_stat_progress_create_index WHERE pid = " + pid) ==
         PgValue("1");
}

/// Waits (up to 60 s) until `pid` is building an index, past the wait for older transactions.
bool waitForBuild(PgConnection& monitor, const std::string& pid) {
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline) {
    PgValue phase = monitor.queryValue(
        "SELECT coalesce(max(phase), '') FROM pg_stat_progress_create_index WHERE pid = " + pid);
    if (phase && phase->starts_with("building index")) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

/// Sends `sql` on `conn` without waiting.
void sendAsync(PgConnection& conn, const std::string& sql) {
  ASSERT_EQ(PQsendQuery(conn.raw(), sql.c_str()), 1) << PQerrorMessage(conn.raw());
}

/// Whether the query sent on `conn` is still running.
bool stillRunning(PgConnection& conn) {
  EXPECT_EQ(PQconsumeInput(conn.raw()), 1) << PQerrorMessage(conn.raw());
  return PQisBusy(conn.raw()) == 1;
}

/// Waits for the query sent on `conn`; true when every result succeeded.
bool finishAsync(PgConnection& conn) {
  bool ok = true;
  while (PGresult* result = PQgetResult(conn.raw())) {
    ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      ADD_FAILURE() << PQresultErrorMessage(result);
      ok = false;
    }
    PQclear(result);
  }
  return ok;
}

/// Fills live.big with kRows rows.
void fillBigTable(ScratchDatabase& db) {
  ASSERT_TRUE(db.exec(emit::createSchemaSql(bigSchema(false))));
  ASSERT_TRUE(db.exec("INSERT INTO live.big SELECT g, md5(g::text) FROM generate_series(1, " +
                      std::to_string(kRows) + ") AS g"));
  ASSERT_TRUE(db.exec("ANALYZE live.big"));
}

/// The online plan's CREATE INDEX CONCURRENTLY builds while another connection inserts.
void concurrentBuildLetsInsertsThrough(ScratchDatabase& db) {
  std::vector<std::string> statements = addIndexStatements(true);
  auto build = std::find_if(statements.begin(), statements.end(), [](const std::string& sql) {
    return sql.starts_with("CREATE INDEX CONCURRENTLY");
  });
  ASSERT_NE(build, statements.end());
  PgConnection builder(db.conninfo());
  PgConnection writer(db.conninfo());
  PgConnection monitor(db.conninfo());
  ASSERT_TRUE(builder.ok() && writer.ok() && monitor.ok());
  const std::string pid = builder.queryValue("SELECT pg_backend_pid()").value_or("0");

  // The script up to the build, then the build itself in the background.
  for (auto it = statements.begin(); it != build; ++it) ASSERT_TRUE(builder.exec(*it));
  sendAsync(builder, *build);
  ASSERT_TRUE(waitForBuild(monitor, pid)) << "the build never started";

  // Writes go on: each insert completes within a 1 s lock_timeout while the build runs.
  ASSERT_TRUE(writer.exec("SET lock_timeout = '1s'"));
  const auto start = Clock::now();
  for (int i = 1; i <= 20; ++i)
    ASSERT_TRUE(writer.exec("INSERT INTO live.big VALUES (" + std::to_string(kRows + i) + ", 'during " +
                            std::to_string(i) + "')"));
  const auto inserts = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  EXPECT_TRUE(buildInProgress(monitor, pid)) << "the build ended before the inserts: no overlap shown";
  EXPECT_TRUE(stillRunning(builder));
  std::cout << "[ OnlineIndexBuild ] 20 inserts took " << inserts.count()
            << " ms while CREATE INDEX CONCURRENTLY was running\n";

  ASSERT_TRUE(finishAsync(builder));
  for (auto it = build + 1; it != statements.end(); ++it) ASSERT_TRUE(builder.exec(*it));
  EXPECT_EQ(
      monitor.queryValue("SELECT indisvalid FROM pg_index WHERE indexrelid = 'live.big_payload'::regclass"),
      PgValue("t"));
  ASSERT_TRUE(monitor.exec("SET enable_seqscan = off"));
  EXPECT_EQ(monitor.queryValue("SELECT count(*) FROM live.big WHERE payload LIKE 'during %'"), PgValue("20"));
  EXPECT_EQ(monitor.queryValue("SELECT id FROM live.big WHERE payload = 'during 7'"),
            PgValue(std::to_string(kRows + 7)));
}

/// The normal plan's CREATE INDEX holds a lock that makes an insert time out.
void plainBuildBlocksInserts(ScratchDatabase& db) {
  std::vector<std::string> statements = addIndexStatements(false);
  std::string script;
  for (const std::string& sql : statements) script += sql + ";\n";
  ASSERT_NE(script.find("\nCREATE INDEX big_payload"), std::string::npos) << script;
  PgConnection builder(db.conninfo());
  PgConnection writer(db.conninfo());
  PgConnection monitor(db.conninfo());
  ASSERT_TRUE(builder.ok() && writer.ok() && monitor.ok());
  const std::string pid = builder.queryValue("SELECT pg_backend_pid()").value_or("0");

  sendAsync(builder, script);
  ASSERT_TRUE(waitForBuild(monitor, pid)) << "the build never started";
  ASSERT_TRUE(writer.exec("SET lock_timeout = '200ms'"));
  PgOutcome insert = writer.tryExec("INSERT INTO live.big VALUES (0, 'during')");
  EXPECT_FALSE(insert.ok);
  EXPECT_EQ(insert.sqlstate, "55P03") << insert.report;  // lock_not_available
  EXPECT_TRUE(stillRunning(builder)) << "the build ended before the insert gave up";
  ASSERT_TRUE(finishAsync(builder));
  EXPECT_EQ(monitor.queryValue("SELECT count(*) FROM live.big WHERE payload = 'during'"), PgValue("0"));
}

// One test, one table: filling it is most of the time.
TEST(OnlineIndexBuild, ConcurrentBuildLetsInsertsThroughAPlainOneBlocksThem) {
  ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  fillBigTable(db);
  if (HasFatalFailure()) return;
  concurrentBuildLetsInsertsThrough(db);
  if (HasFatalFailure()) return;
  ASSERT_TRUE(db.exec("DROP INDEX live.big_payload"));
  plainBuildBlocksInserts(db);
}

}  // namespace
}  // namespace felisc::testing
