// The demo's inputs (fixtures/demo, run by tools/demo.sh) are valid Felis and
// differ exactly as the demo says: a column added, a constraint renamed (same
// @id), a description changed.
#include <gtest/gtest.h>

#include "compiler/felis/reader.h"
#include "tests/support/test_paths.h"

namespace felisc::testing {
namespace {

std::shared_ptr<const model::Schema> readDemo(const std::string& file) {
  const auto path = (fixturesDir() / "demo" / file).string();
  felis::ReadResult result = felis::readFelisFile(path);
  EXPECT_EQ(result.diagnostics.errorCount(), 0u) << path;
  EXPECT_EQ(result.diagnostics.warningCount(), 0u) << path;
  return result.schema;
}

TEST(DemoFixtures, BothVersionsAreValidFelis) {
  for (const char* file : {"old.yaml", "new.yaml"}) {
    const auto schema = readDemo(file);
    ASSERT_NE(schema, nullptr) << file;
    EXPECT_EQ(schema->name, "cdb_demo");
    ASSERT_EQ(schema->tables.size(), 3u);
    EXPECT_EQ(schema->tables[0].name, "exposure");
    EXPECT_EQ(schema->tables[1].name, "ccdexposure");
    EXPECT_EQ(schema->tables[2].name, "exposure_flexdata");
  }
}

TEST(DemoFixtures, NewVersionAddsRenamesAndRedescribes) {
  const auto old_schema = readDemo("old.yaml");
  const auto new_schema = readDemo("new.yaml");
  ASSERT_NE(old_schema, nullptr);
  ASSERT_NE(new_schema, nullptr);

  // A column added.
  EXPECT_EQ(old_schema->findTable("exposure")->findColumn("airmass"), nullptr);
  EXPECT_NE(new_schema->findTable("exposure")->findColumn("airmass"), nullptr);
  EXPECT_EQ(new_schema->findTable("exposure")->columns.size(),
            old_schema->findTable("exposure")->columns.size() + 1);

  // A constraint renamed, its @id kept.
  const model::Constraint* before =
      old_schema->findTable("ccdexposure")->findConstraint("fk_ccdexposure_exposure");
  const model::Constraint* after =
      new_schema->findTable("ccdexposure")->findConstraint("fk_ccdexposure_exposure_id");
  ASSERT_NE(before, nullptr);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(before->id, after->id);
  EXPECT_EQ(new_schema->findTable("ccdexposure")->findConstraint("fk_ccdexposure_exposure"), nullptr);

  // A description changed.
  const model::Column* old_temp = old_schema->findTable("ccdexposure")->findColumn("ccd_temp");
  const model::Column* new_temp = new_schema->findTable("ccdexposure")->findColumn("ccd_temp");
  ASSERT_NE(old_temp, nullptr);
  ASSERT_NE(new_temp, nullptr);
  EXPECT_NE(old_temp->description, new_temp->description);
}

}  // namespace
}  // namespace felisc::testing
