// `felisc migrate --old-db` on ConsDB's real databases, run by the real Alembic
// (issue 13). For each revision k = 2..16 of ../shared/consdb/sql/latiss: a
// database as ConsDB had it at k-1 (its reviewed revisions replayed, a row in
// every table), stamped at k-1 in a copy of ConsDB's chain cut there, with an
// env.py of our own (ConsDB's imports felis; its revisions need SQLAlchemy 2.0
// names only in upgrade(), which only `stamp` reads here); a clone of the
// sdm_schemas bundle at the commit of the Felis version k migrated to. Then
// `felisc migrate --old-db` (ConsDB profile by default) writes one revision,
// `alembic upgrade head` applies it, the catalog equals a fresh
// `create --profile consdb` of the file (column order apart), and
// `alembic downgrade -1` gives the database at k-1 back, rows included.
//
// Revisions 9 and 13 changed only the views, grants and pgs_region columns
// (what the ConsDB profile deploys), not the file: migrate rightly writes nothing
// for an unchanged file, so for them the revision comes from
// `felisc diff --old-db --format alembic`, the same pipeline.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/pg/alembic_env.h"
#include "tests/pg/consdb_chain.h"
#include "tests/pg/diff_roundtrip.h"
#include "tests/support/cli_runner.h"
#include "tests/support/run_command.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCreateDate = "2026-01-01 00:00:00";

/// The line of Alembic's traceback that says what PostgreSQL refused.
std::string errorLine(const std::string& output) {
  for (const std::string& line : nonEmptyLines(output))
    if (line.find("psycopg2.errors.") != std::string::npos || line.find("sqlalchemy.exc.") == 0) return line;
  const std::vector<std::string> all = nonEmptyLines(output);
  return all.empty() ? std::string() : all.back();
}

/// A clone of the sdm_schemas bundle, and which commit first holds each version
/// of cdb_latiss.yaml (by blob id, wherever the file lived then).
class Bundle {
 public:
  explicit Bundle(const fs::path& into) : clone_(into) {
    CommandResult cloned = runCommand(
        {"git", "clone", "-q", (sdmSchemasDir() / "sdm_schemas.bundle").string(), clone_.string()});
    EXPECT_EQ(cloned.exit_code, 0) << cloned.output;
    for (const std::string& commit : nonEmptyLines(git({"rev-list", "--reverse", "HEAD"}))) {
      for (const char* dir : {"yml", "python/lsst/sdm_schemas/schemas", "python/lsst/sdm/schemas"}) {
        CommandResult blob = runCommand({"git", "-C", clone_.string(), "rev-parse", "--verify", "-q",
                                         commit + ":" + dir + "/cdb_latiss.yaml"});
        if (blob.exit_code != 0) continue;
        first_commit_.emplace(nonEmptyLines(blob.output).front(), commit);  // keeps the first
        break;
      }
    }
  }
  [[nodiscard]] const fs::path& path() const { return clone_; }
  /// The first commit holding history/cdb_latiss/`file`; empty if none does.
  std::string commitOf(const std::string& file) {
    const fs::path path = sdmSchemasDir() / "history" / "cdb_latiss" / file;
    CommandResult blob = runCommand({"git", "hash-object", path.string()});
    auto found =
        first_commit_.find(nonEmptyLines(blob.output).empty() ? "" : nonEmptyLines(blob.output).front());
    return found == first_commit_.end() ? std::string() : found->second;
  }
  std::string git(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"git", "-C", clone_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    CommandResult result = runCommand(argv);
    EXPECT_EQ(result.exit_code, 0) << result.output;
    return result.output;
  }

 private:
  fs::path clone_;
  std::map<std::string, std::string> first_commit_;
};

/// ConsDB's alembic/ with the latiss chain cut after `count` revisions, and our env.py.
fs::path alembicProject(const fs::path& root, const std::vector<consdb::Revision>& chain, std::size_t count) {
  const fs::path latiss = root / "latiss";
  alembic_env::writeProject(latiss, "cdb_latiss_version");
  for (std::size_t i = 0; i < count; ++i) {
    const fs::path file = consdb::revisionFile(chain[i]);
    EXPECT_FALSE(file.empty()) << chain[i].revision;
    if (!file.empty()) fs::copy_file(file, latiss / "versions" / file.filename());
  }
  return latiss;
}

CommandResult alembic(const fs::path& latiss, std::vector<std::string> args, const std::string& dsn) {
  args.insert(args.begin(), {alembic_env::kPython, "-m", "alembic", "-c", (latiss / "alembic.ini").string()});
  return runCommand(args, {{"FELISC_ALEMBIC_DSN", dsn}, {"PYTHONPATH", (consdb::dir() / "python").string()}});
}

CommandResult felisc(const fs::path& directory, std::vector<std::string> args) {
  args.insert(args.begin(), FELISC_BINARY);
  return runCommand(args, {}, directory.string());
}

/// The differences between two catalogs of cdb_latiss, column order apart.
std::vector<std::string> differences(ScratchDatabase& want, ScratchDatabase& got) {
  return model::compareSchemas(diffcheck::normalized(diffcheck::readCatalog(want, "cdb_latiss")),
                               diffcheck::normalized(diffcheck::readCatalog(got, "cdb_latiss")));
}

// The revisions whose whole round trip passes today (a regression guard; the
// test prints the verdict of each k): all of them.
const std::set<int> kPassToday = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

TEST(MigrateConsdb, OldDbRevisionAppliesWithRealAlembicAndDowngradesAtEveryRevision) {
  const std::vector<consdb::Revision> chain = consdb::revisions();
  ASSERT_EQ(chain.size(), 16U);
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  Bundle bundle(fs::path(dir.path()) / "sdm_schemas");
  const std::string profile = (fixturesDir() / "profiles" / "consdb.yaml").string();
  std::map<int, std::string> verdicts;
  for (std::size_t k = 2; k <= chain.size(); ++k) {
    const consdb::Revision& revision = chain[k - 1];
    SCOPED_TRACE("k = " + std::to_string(k) + " (" + revision.revision + ", " + revision.felis_after + ")");
    auto done = [&](const std::string& what) {
      verdicts[static_cast<int>(k)] = what;
      std::printf("[ consdb migrate ] k=%zu %s\n", k, what.c_str());
    };

    ScratchDatabase db({.pg_sphere = true});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(consdb::replay(db, chain, k - 1));
    const model::Schema start = diffcheck::readCatalog(db, "cdb_latiss");
    const std::vector<std::string> rows_before = consdb::rowCounts(db);

    const fs::path latiss =
        alembicProject(fs::path(dir.path()) / ("alembic-" + std::to_string(k)), chain, k - 1);
    CommandResult stamp = alembic(latiss, {"stamp", chain[k - 2].revision}, db.conninfo());
    ASSERT_EQ(stamp.exit_code, 0) << stamp.output;

    const std::string base = bundle.commitOf(revision.felis_before);
    const std::string after = bundle.commitOf(revision.felis_after);
    ASSERT_FALSE(base.empty()) << revision.felis_before;
    ASSERT_FALSE(after.empty()) << revision.felis_after;
    bundle.git({"checkout", "-q", after});
    std::vector<std::string> args =
        base != after
            ? std::vector<std::string>{"migrate",
                                       "--sdm-schemas",
                                       bundle.path().string(),
                                       "--base",
                                       base,
                                       "--alembic-dir",
                                       latiss.parent_path().string(),
                                       "--old-db",
                                       db.conninfo(),
                                       "--allow-data-loss",
                                       "--create-date",
                                       kCreateDate}
            : std::vector<std::string>{
                  "diff",          "--old-db",      db.conninfo(),         "--schema",      "cdb_latiss",
                  "--profile",     profile,         "yml/cdb_latiss.yaml", "--format",      "alembic",
                  "--alembic-dir", latiss.string(), "--allow-data-loss",   "--create-date", kCreateDate};
    // Where the revision makes columns NOT NULL in tables that hold rows, the
    // values the reviewed revision filled them with, as a user gives them.
    const fs::path backfill = consdb::backfillFile(k);
    if (!backfill.empty()) args.insert(args.end(), {"--backfill", "cdb_latiss:" + backfill.string()});
    CommandResult written = felisc(bundle.path(), args);
    if (written.exit_code != 0 || pyFileCount(latiss / "versions") != k) {
      done("no revision written (exit " + std::to_string(written.exit_code) +
           "): " + written.output.substr(0, 300));
      EXPECT_FALSE(kPassToday.contains(static_cast<int>(k))) << written.output;
      continue;
    }
    CommandResult up = alembic(latiss, {"upgrade", "head"}, db.conninfo());
    if (up.exit_code != 0) {
      done("alembic upgrade failed: " + errorLine(up.output));
      EXPECT_FALSE(kPassToday.contains(static_cast<int>(k))) << up.output;
      continue;
    }
    ScratchDatabase fresh({.pg_sphere = true});
    ASSERT_TRUE(fresh.ok());
    ASSERT_TRUE(fresh.exec(consdb::kSetup));
    ASSERT_TRUE(fresh.exec("DROP SCHEMA cdb_latiss"));  // create writes its CREATE SCHEMA
    const fs::path file = sdmSchemasDir() / "history" / "cdb_latiss" / revision.felis_after;
    CliRun create = runFelisc({"create", "--profile", profile, file.string()});
    ASSERT_EQ(create.exit_code, 0) << create.err;
    ASSERT_TRUE(fresh.exec(create.out));
    const std::vector<std::string> upgraded = differences(fresh, db);

    CommandResult down = alembic(latiss, {"downgrade", "-1"}, db.conninfo());
    std::vector<std::string> downgraded;
    if (down.exit_code == 0)
      downgraded = model::compareSchemas(diffcheck::normalized(start),
                                         diffcheck::normalized(diffcheck::readCatalog(db, "cdb_latiss")));
    const bool rows_kept = down.exit_code == 0 && consdb::rowCounts(db) == rows_before;
    if (upgraded.empty() && down.exit_code == 0 && downgraded.empty() && rows_kept) {
      done("exact both ways");
    } else {
      done(std::string(upgraded.empty() ? "" : "upgrade differs from a fresh create; ") +
           (down.exit_code != 0 ? "alembic downgrade failed; " : "") +
           (downgraded.empty() ? "" : "downgrade differs from k-1; ") + (rows_kept ? "" : "rows changed"));
      std::printf("%s%s", diffcheck::joinLines(upgraded, 10).c_str(),
                  diffcheck::joinLines(downgraded, 10).c_str());
      if (kPassToday.contains(static_cast<int>(k))) {
        EXPECT_TRUE(upgraded.empty()) << diffcheck::joinLines(upgraded);
        EXPECT_EQ(down.exit_code, 0) << down.output;
        EXPECT_TRUE(downgraded.empty()) << diffcheck::joinLines(downgraded);
        EXPECT_TRUE(rows_kept);
      }
    }
  }
  std::size_t exact = 0;
  for (const auto& [k, verdict] : verdicts) exact += verdict == "exact both ways";
  std::printf("[ consdb migrate ] %zu of %zu revisions exact both ways\n", exact, verdicts.size());
  for (int k : kPassToday) EXPECT_EQ(verdicts[k], "exact both ways") << "k = " << k;
}

}  // namespace
}  // namespace felisc::testing
