// Online Alembic revisions (`felisc diff --online --format alembic`) run by the
// real Alembic (Debian's python3-alembic 1.8) on PostgreSQL 15.
//
// Regression for issue 11: the online revision of cdb_latiss history 15 -> 16
// created the unique constraint twice (the concurrent index, then
// op.create_unique_constraint of the same name: "relation
// un_ccdexposure_exposure_id_detector already exists") and added foreign keys
// as plain op.create_foreign_key under a hazard comment that promised NOT VALID.
// Now the index is built CONCURRENTLY inside autocommit_block(), the key is
// added USING INDEX, foreign keys and checks NOT VALID then VALIDATE; the
// revision applies, `felisc verify` finds the database exactly version 16, and
// the downgrade gives version 15 back.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/felis/reader.h"
#include "emitters/postgres_ddl.h"
#include "tests/pg/alembic_env.h"
#include "tests/pg/diff_roundtrip.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

model::Schema readSchema(const fs::path& file) {
  felis::ReadResult read = felis::readFelisFile(file.string(), {});
  EXPECT_TRUE(read.schema) << felis::renderDiagnostics(read);
  return read.schema ? *read.schema : model::Schema{};
}

void expectSameCatalogs(const model::Schema& want, const model::Schema& got, const std::string& what) {
  std::vector<std::string> differences =
      model::compareSchemas(diffcheck::normalized(want), diffcheck::normalized(got));
  EXPECT_TRUE(differences.empty()) << what << ":\n" << diffcheck::joinLines(differences);
}

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

TEST(AlembicOnline, History15To16AppliesWithRealAlembicAndVerifiesExact) {
  const std::vector<fs::path> files = yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss");
  ASSERT_GE(files.size(), 16u);
  const fs::path old_file = files[14];
  const fs::path new_file = files[15];
  ASSERT_TRUE(old_file.filename().string().starts_with("15_")) << old_file;
  ASSERT_TRUE(new_file.filename().string().starts_with("16_")) << new_file;

  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const fs::path project = dir.path();
  alembic_env::writeProject(project, "cdb_latiss_version");
  CliRun run = runFelisc({"diff", old_file.string(), new_file.string(), "--online", "--format", "alembic",
                          "--alembic-dir", project.string(), "--allow-data-loss", "--create-date",
                          "2024-09-25 00:00:00"});
  ASSERT_EQ(run.exit_code, 0) << run.err;  // 0: the revision was written

  std::vector<fs::path> revisions;
  for (const auto& entry : fs::directory_iterator(project / "versions"))
    if (entry.path().extension() == ".py") revisions.push_back(entry.path());
  ASSERT_EQ(revisions.size(), 1u);
  std::ostringstream read;
  read << std::ifstream(revisions.front()).rdbuf();
  const std::string revision = read.str();
  const std::string upgrade = revision.substr(0, revision.find("def downgrade()"));

  // The unique key: its index once, concurrently, outside a transaction block,
  // then the constraint over it.
  EXPECT_EQ(occurrences(upgrade, "op.create_unique_constraint"), 0u) << upgrade;
  EXPECT_EQ(occurrences(upgrade,
                        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS un_ccdexposure_exposure_id_detector"),
            1u)
      << upgrade;
  EXPECT_NE(upgrade.find("with op.get_context().autocommit_block():"), std::string::npos) << upgrade;
  EXPECT_NE(upgrade.find("UNIQUE USING INDEX un_ccdexposure_exposure_id_detector"), std::string::npos)
      << upgrade;
  // Foreign keys (16 adds two): NOT VALID, then VALIDATE in a new transaction.
  EXPECT_EQ(occurrences(upgrade, "op.create_foreign_key"), 0u) << upgrade;
  EXPECT_EQ(occurrences(upgrade, "ADD CONSTRAINT fk_"), 2u) << upgrade;  // SQL, not the comments
  EXPECT_EQ(occurrences(upgrade, "NOT VALID\""), 2u) << upgrade;
  EXPECT_EQ(occurrences(upgrade, "VALIDATE CONSTRAINT fk_"), 2u) << upgrade;
  EXPECT_EQ(occurrences(upgrade, "pass  # commits"), 2u) << upgrade;

  // Version 15 as ConsDB has it, then the revision by the real Alembic.
  ScratchDatabase db({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.exec("CREATE SCHEMA cdb"));
  ASSERT_TRUE(db.exec(emit::createSchemaSql(readSchema(old_file))));
  const model::Schema start = diffcheck::readCatalog(db, "cdb_latiss");
  CommandResult up = alembic_env::run(project, {"upgrade", "head"}, db.conninfo());
  ASSERT_EQ(up.exit_code, 0) << up.output << "\n" << upgrade;

  // felisc verify: the database is version 16 exactly (nothing left to plan, both ways).
  CliRun verify = runFelisc({"verify", db.conninfo(), new_file.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("result: exact"), std::string::npos) << verify.out;
  ScratchDatabase fresh({.pg_sphere = true});
  ASSERT_TRUE(fresh.ok());
  ASSERT_TRUE(fresh.exec(emit::createSchemaSql(readSchema(new_file))));
  expectSameCatalogs(diffcheck::readCatalog(fresh, "cdb_latiss"), diffcheck::readCatalog(db, "cdb_latiss"),
                     "online alembic upgrade vs fresh create of 16");

  CommandResult down = alembic_env::run(project, {"downgrade", "base"}, db.conninfo());
  ASSERT_EQ(down.exit_code, 0) << down.output;
  expectSameCatalogs(start, diffcheck::readCatalog(db, "cdb_latiss"), "online alembic downgrade vs 15");
  CliRun verify_old = runFelisc({"verify", db.conninfo(), old_file.string()});
  EXPECT_EQ(verify_old.exit_code, 0) << verify_old.out << verify_old.err;
}

}  // namespace
}  // namespace felisc::testing
