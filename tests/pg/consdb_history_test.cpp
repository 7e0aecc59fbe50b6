// The ConsDB deployment, version by version: a database built with the ConsDB
// profile (views visit1/ccdvisit1 over exposure/ccdexposure with their grants,
// pgs_region spoly beside every s_region) from history/cdb_latiss 01, then every
// consecutive pair migrated up and down with the views present. After each step
// the catalog (views' pg_get_viewdef definitions, columns, comments, owners and
// grants; the extra columns; everything else) equals a fresh build of that version.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "compiler/felis/profile_reader.h"
#include "compiler/felis/reader.h"
#include "emitters/profile_ddl.h"
#include "schema_model/profile.h"
#include "tests/pg/diff_roundtrip.h"
#include "tests/support/corpus.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSchema = "cdb_latiss";

model::Profile consdbProfile() {
  felis::ProfileReadResult read =
      felis::readProfileFile((fixturesDir() / "profiles" / "consdb.yaml").string());
  EXPECT_TRUE(read.profile) << felis::renderProfileDiagnostics(read);
  return read.profile.value_or(model::Profile{});
}

/// A history version as ConsDB deploys it.
model::Schema deployed(const fs::path& file, const model::Profile& profile) {
  model::Diagnostics diagnostics;
  model::Schema realized = model::realize(readCorpusSchema(file), profile, diagnostics);
  EXPECT_FALSE(diagnostics.hasErrors()) << diffcheck::renderAll(diagnostics);
  return realized;
}

/// A fresh build of `schema` in `db` (dropping what an earlier version left).
model::Schema freshCatalog(ScratchDatabase& db, const model::Schema& schema, const model::Profile& profile) {
  EXPECT_TRUE(db.exec(std::string("DROP SCHEMA IF EXISTS ") + kSchema + " CASCADE"));
  PgOutcome created = db.tryExec(emit::createProfiledSchemaSql(schema, profile));
  EXPECT_TRUE(created.ok) << created.report;
  return diffcheck::normalized(diffcheck::readCatalog(db, kSchema));
}

std::string apply(ScratchDatabase& db, const diff::Plan& plan, diff::Direction direction) {
  PgOutcome outcome = db.tryExec(emit::planSql(plan, direction));
  return outcome.ok ? std::string() : outcome.report;
}

std::size_t viewCount(const model::Schema& schema) { return schema.views.size(); }

TEST(ConsdbHistory, EveryPairMigratesBothWaysWithTheViewsPresent) {
  const model::Profile profile = consdbProfile();
  std::vector<fs::path> files = yamlFilesIn(sdmSchemasDir() / "history" / "cdb_latiss");
  ASSERT_EQ(files.size(), 33U);
  ScratchDatabase db({.pg_sphere = true});
  ScratchDatabase fresh({.pg_sphere = true});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(fresh.ok());

  model::Schema current = deployed(files.front(), profile);
  model::Schema current_catalog = freshCatalog(fresh, current, profile);
  ASSERT_TRUE(db.exec(emit::createProfiledSchemaSql(current, profile)));
  std::size_t pairs_with_views = 0;
  std::size_t view_recreations = 0;
  for (std::size_t i = 1; i < files.size(); ++i) {
    const std::string label =
        files[i - 1].filename().string().substr(0, 2) + "->" + files[i].filename().string().substr(0, 2);
    model::Schema next = deployed(files[i], profile);
    model::Schema next_catalog = freshCatalog(fresh, next, profile);
    diff::ChangeSet changes = diff::diffSchemas(current, next);
    ASSERT_FALSE(changes.diagnostics.hasErrors()) << label << diffcheck::renderAll(changes.diagnostics);
    diff::Plan plan = diff::plan(changes);
    for (const auto& step : plan.up)
      view_recreations += std::holds_alternative<diff::CreateView>(step.change);
    if (viewCount(next) > 0) ++pairs_with_views;

    std::string failure = apply(db, plan, diff::Direction::Up);
    ASSERT_EQ(failure, "") << label << " upgrade";
    EXPECT_EQ(model::compareSchemas(next_catalog, diffcheck::normalized(diffcheck::readCatalog(db, kSchema))),
              std::vector<std::string>{})
        << label << " after the upgrade";
    failure = apply(db, plan, diff::Direction::Down);
    ASSERT_EQ(failure, "") << label << " downgrade";
    EXPECT_EQ(
        model::compareSchemas(current_catalog, diffcheck::normalized(diffcheck::readCatalog(db, kSchema))),
        std::vector<std::string>{})
        << label << " after the downgrade";
    failure = apply(db, plan, diff::Direction::Up);
    ASSERT_EQ(failure, "") << label << " second upgrade";
    current = std::move(next);
    current_catalog = std::move(next_catalog);
  }
  // The property is only worth something if views were there and were recreated.
  EXPECT_GE(pairs_with_views, 20U);
  EXPECT_GE(view_recreations, 8U);
  EXPECT_EQ(viewCount(current), 2U);
  const model::View* visit1 = current_catalog.findView("visit1");
  ASSERT_NE(visit1, nullptr);
  EXPECT_EQ(visit1->columns.front().name, "visit_id");
  const model::Table* exposure = current_catalog.findTable("exposure");
  ASSERT_NE(exposure, nullptr);
  ASSERT_NE(exposure->findColumn("pgs_region"), nullptr);
  EXPECT_EQ(exposure->findColumn("pgs_region")->sql_type, "spoly");
}

}  // namespace
}  // namespace felisc::testing
