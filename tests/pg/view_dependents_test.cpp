// Live databases: views that read what a plan changes are dropped before it and
// recreated after it exactly (definition, options, owner, comments, grants,
// materialized-view indexes); views that nothing touches are left alone.
#include <gtest/gtest.h>

#include <string>

#include "compiler/catalog/reader.h"
#include "compiler/felis/reader.h"
#include "emitters/postgres_ddl.h"
#include "schema_model/compare.h"
#include "tests/support/cli_runner.h"
#include "tests/support/pg_test_server.h"
#include "tests/support/test_paths.h"

namespace felisc {
namespace {

std::string fixture(const std::string& name) { return (testing::fixturesDir() / "views" / name).string(); }

constexpr std::string_view kHandWrittenViews = R"sql(
CREATE VIEW shop.cheap WITH (security_barrier=true) AS
  SELECT id, price, label FROM shop.item WHERE price < 100;
COMMENT ON VIEW shop.cheap IS 'cheap ones';
COMMENT ON COLUMN shop.cheap.price IS 'the price';
CREATE VIEW shop.cheap_labels AS SELECT label, price * 2 AS doubled FROM shop.cheap;
GRANT SELECT ON shop.cheap TO usdf;
GRANT SELECT (label) ON shop.cheap_labels TO oods;
CREATE MATERIALIZED VIEW shop.labels AS SELECT id, label FROM shop.item;
CREATE INDEX labels_label ON shop.labels (label);
COMMENT ON MATERIALIZED VIEW shop.labels IS 'labels, materialized';
CREATE VIEW shop.supplier_names AS SELECT name FROM shop.supplier;
)sql";

class ViewDependents : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.ok());
    felis::ReadResult old_schema = felis::readFelisFile(fixture("shop_old.yaml"));
    ASSERT_TRUE(old_schema.schema) << felis::renderDiagnostics(old_schema);
    ASSERT_TRUE(db_.exec(emit::createSchemaSql(*old_schema.schema)));
    ASSERT_TRUE(db_.exec(kHandWrittenViews));
    ASSERT_TRUE(db_.exec("INSERT INTO shop.item VALUES (1, 50, 'a'), (2, 500, 'b')"));
  }

  model::Schema catalog() {
    catalog::CatalogResult result = catalog::readSchemas(db_.conninfo(), {"shop"});
    EXPECT_EQ(result.schemas.size(), 1U);
    return result.schemas.empty() ? model::Schema{} : result.schemas.front();
  }

  testing::CliRun plan(const std::string& target, const std::string& direction) {
    return testing::runFelisc(
        {"diff", "--old-db", db_.conninfo(), fixture(target), "--direction", direction, "--allow-data-loss"});
  }

  testing::ScratchDatabase db_;
};

TEST_F(ViewDependents, TypeChangeUnderAViewChainSucceedsWherePlainDdlFails) {
  testing::PgOutcome plain = db_.tryExec("ALTER TABLE shop.item ALTER COLUMN price TYPE bigint");
  ASSERT_FALSE(plain.ok);
  EXPECT_NE(plain.message.find("cannot alter type of a column used by a view or rule"), std::string::npos)
      << plain.report;

  model::Schema before = catalog();
  ASSERT_EQ(before.views.size(), 4U);
  testing::CliRun up = plan("shop_new.yaml", "up");
  ASSERT_EQ(up.exit_code, 0) << up.err;
  testing::CliRun down = plan("shop_new.yaml", "down");
  ASSERT_EQ(down.exit_code, 0) << down.err;
  // Only the views that read the retyped columns (and their dependents) are touched.
  EXPECT_NE(up.out.find("DROP VIEW shop.cheap_labels;"), std::string::npos) << up.out;
  EXPECT_NE(up.out.find("DROP MATERIALIZED VIEW shop.labels;"), std::string::npos) << up.out;
  EXPECT_EQ(up.out.find("supplier_names"), std::string::npos) << up.out;
  EXPECT_LT(up.out.find("DROP VIEW shop.cheap_labels;"), up.out.find("DROP VIEW shop.cheap;"));
  EXPECT_LT(up.out.find("CREATE VIEW shop.cheap "), up.out.find("CREATE VIEW shop.cheap_labels "));

  testing::PgOutcome applied = db_.tryExec(up.out);
  ASSERT_TRUE(applied.ok) << applied.report;
  model::Schema after_up = catalog();
  ASSERT_EQ(after_up.views.size(), 4U);
  for (const model::View& view : before.views) {
    const model::View* now = after_up.findView(view.name);
    ASSERT_NE(now, nullptr) << view.name;
    EXPECT_EQ(now->definition, view.definition) << view.name;
    EXPECT_EQ(now->options, view.options) << view.name;
    EXPECT_EQ(now->owner, view.owner) << view.name;
    EXPECT_EQ(now->description, view.description) << view.name;
    EXPECT_EQ(now->grants, view.grants) << view.name;
    EXPECT_EQ(now->indexes.size(), view.indexes.size()) << view.name;
  }
  EXPECT_EQ(after_up.findView("cheap")->columns[1].sql_type, "bigint");
  EXPECT_EQ(after_up.findView("cheap")->columns[1].description, "the price");
  EXPECT_EQ(db_.queryValue("SELECT count(*) FROM shop.labels"), "2");  // repopulated
  testing::CliRun again = plan("shop_new.yaml", "up");
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;

  applied = db_.tryExec(down.out);
  ASSERT_TRUE(applied.ok) << applied.report;
  EXPECT_EQ(model::compareSchemas(before, catalog()), std::vector<std::string>{});
}

TEST_F(ViewDependents, DroppingAColumnAHandWrittenViewReadsIsRefusedWithTheViewNamed) {
  testing::CliRun up = plan("shop_drop_label.yaml", "up");
  EXPECT_NE(up.exit_code, 0);
  EXPECT_EQ(up.out, "");
  EXPECT_NE(up.err.find("view 'cheap' reads column item.label, which this plan drops"), std::string::npos)
      << up.err;
  EXPECT_NE(up.err.find("FEL610"), std::string::npos) << up.err;
}

TEST_F(ViewDependents, AChangeNoViewReadsTouchesNoView) {
  // Only a comment changes: the plan is one COMMENT statement.
  ASSERT_TRUE(db_.exec("COMMENT ON TABLE shop.item IS 'Things'"));
  testing::CliRun up = plan("shop_old.yaml", "up");
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(up.out.find("VIEW"), std::string::npos) << up.out;
  EXPECT_NE(up.out.find("COMMENT ON TABLE shop.item IS 'Items'"), std::string::npos) << up.out;
}

}  // namespace
}  // namespace felisc
