// Catalog facts compared without a database (compiler/catalog/facts.h), and the
// model rules of issue 12: a UNIQUE a catalog holds beside the key is its own
// constraint, and the key's comment is compared and migrated.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler/catalog/facts.h"
#include "diff_engine/differ.h"
#include "diff_engine/planner.h"
#include "emitters/plan_sql.h"
#include "schema_model/compare.h"
#include "schema_model/resolve.h"
#include "schema_model/type_mapping.h"

namespace felisc::catalog {
namespace {

Facts facts(std::vector<std::pair<FactKey, std::string>> values) {
  Facts out;
  for (auto& [key, value] : values) out.values[key] = value;
  return out;
}

std::vector<std::string> texts(const std::vector<model::Difference>& differences) {
  std::vector<std::string> out;
  for (const model::Difference& difference : differences) out.push_back(difference.text());
  return out;
}

TEST(CatalogFactsCompare, AnObjectInOneSideOnlyIsOneDifference) {
  Facts expected = facts({{{{"table t"}, ""}, "table"}, {{{"table t", "column a"}, ""}, "column"}});
  Facts actual = facts({{{{"table t"}, ""}, "table"},
                        {{{"table t", "column a"}, ""}, "column"},
                        {{{"table t", "trigger tr"}, ""}, "trigger"},
                        {{{"table t", "trigger tr"}, "definition"}, "CREATE TRIGGER tr ..."},
                        {{{"sequence s"}, ""}, "sequence"},
                        {{{"sequence s"}, "owned by"}, "t.a"}});
  EXPECT_EQ(texts(factDifferences(expected, actual)),
            (std::vector<std::string>{"sequence s: unexpected", "table t: trigger tr: unexpected"}));
  EXPECT_EQ(texts(factDifferences(actual, expected)),
            (std::vector<std::string>{"sequence s: missing", "table t: trigger tr: missing"}));
}

TEST(CatalogFactsCompare, PropertiesKindsAndColumnOrder) {
  Facts expected = facts({{{{"view v"}, ""}, "view"},
                          {{{"table t"}, ""}, "table"},
                          {{{"table t"}, "column order"}, "a, b, c"},
                          {{{"table t", "column b"}, "collation"}, "C"}});
  Facts actual = facts({{{{"view v"}, ""}, "materialized view"},
                        {{{"table t"}, ""}, "table"},
                        {{{"table t"}, "column order"}, "a, c, d, b"},
                        {{{"table t", "column b"}, "type"}, "text"}});
  EXPECT_EQ(texts(factDifferences(expected, actual)),
            (std::vector<std::string>{"table t: column order: expected (a, b, c), got (a, c, b)",
                                      "table t: column b: collation: expected C, got none",
                                      "table t: column b: type: expected none, got text",
                                      "view v: kind: expected view, got materialized view"}));
  // Only the shared columns count: an added column at the end is no order change.
  Facts added = facts({{{{"table t"}, "column order"}, "a, b, c, d"}});
  EXPECT_TRUE(factDifferences(facts({{{{"table t"}, "column order"}, "a, b, c"}}), added).empty());
}

TEST(CatalogFactsCompare, FilterSetsOwnersGrantsIgnoredTablesAndQualifiersAside) {
  Facts read =
      facts({{{{"table t"}, "owner"}, "alice"},
             {{{"table t"}, "grants"}, "(SELECT to bob)"},
             {{{"table alembic_version"}, ""}, "table"},
             {{{"sequence alembic_version_id_seq"}, "owned by"}, "alembic_version.id"},
             {{{"table t", "column id"}, "default"}, "nextval('\"My S\".t_id_seq'::regclass)"},
             {{{"table t", "index i"}, "definition"}, "CREATE INDEX i ON \"My S\".t USING btree (a)"}});
  Facts kept = filtered(
      read, {.ignored_tables = {"alembic_version"}, .owners = false, .grants = false, .qualifier = "My S"});
  EXPECT_EQ(kept.values.size(), 2U);
  EXPECT_EQ(kept.values.at({{"table t", "column id"}, "default"}), "nextval('t_id_seq'::regclass)");
  EXPECT_EQ(kept.values.at({{"table t", "index i"}, "definition"}), "CREATE INDEX i ON t USING btree (a)");
  // A string literal that merely mentions the schema is left as it is.
  EXPECT_EQ(withoutQualifier("a = 'x s.y' AND s.b = 1", "s"), "a = 'x s.y' AND b = 1");
}

}  // namespace
}  // namespace felisc::catalog

namespace felisc::diff {
namespace {

/// t (id bigint, key id) and a unique un_t_id (id), from a catalog (stands alone)
/// or from a file (folds into the key, which takes its name).
model::Schema withUniqueOnTheKey(bool from_catalog, std::optional<std::string> description) {
  model::Column id;
  id.name = "id";
  id.datatype = model::FelisType::Long;
  id.nullable = false;
  model::Table table;
  table.name = "t";
  table.columns = {id};
  table.primary_key = model::PrimaryKey{from_catalog ? "t_pkey" : "", {"id"}, {}};
  model::Constraint unique;
  unique.name = "un_t_id";
  unique.columns = {"id"};
  unique.stands_alone = from_catalog;
  if (!from_catalog) unique.description = std::move(description);
  table.constraints = {unique};
  model::Schema schema;
  schema.name = "s";
  schema.tables = {table};
  model::resolveSchema(schema, model::postgresDialect());
  return schema;
}

TEST(CatalogUniqueBesideKey, CompareSeesItAndTheKeyComment) {
  model::Schema database = withUniqueOnTheKey(true, std::nullopt);
  model::Schema file = withUniqueOnTheKey(false, "The key.");
  EXPECT_EQ(file.tables[0].primary_key->name, "un_t_id");
  EXPECT_EQ(model::primaryKeyDescription(file.tables[0]), "The key.");
  std::vector<std::string> lines = model::compareSchemas(file, database);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "table t: constraint un_t_id: unexpected"), lines.end())
      << ::testing::PrintToString(lines);
}

TEST(CatalogUniqueBesideKey, PlanDropsTheDuplicateRenamesAndCommentsTheKey) {
  model::Schema database = withUniqueOnTheKey(true, std::nullopt);
  model::Schema file = withUniqueOnTheKey(false, "The key.");
  ChangeSet changes = diffSchemas(database, file);
  ASSERT_FALSE(changes.diagnostics.hasErrors());
  Plan p = plan(changes);
  const std::string up = emit::planSql(p, Direction::Up);
  const std::string down = emit::planSql(p, Direction::Down);
  std::size_t drop = up.find("ALTER TABLE s.t DROP CONSTRAINT un_t_id");
  std::size_t rename = up.find("ALTER TABLE s.t RENAME CONSTRAINT t_pkey TO un_t_id");
  std::size_t comment = up.find("COMMENT ON CONSTRAINT un_t_id ON s.t IS 'The key.'");
  ASSERT_NE(drop, std::string::npos) << up;
  ASSERT_NE(rename, std::string::npos) << up;
  ASSERT_NE(comment, std::string::npos) << up;
  EXPECT_LT(drop, rename);
  EXPECT_LT(rename, comment);
  EXPECT_NE(down.find("RENAME CONSTRAINT un_t_id TO t_pkey"), std::string::npos) << down;
  EXPECT_NE(down.find("ADD CONSTRAINT un_t_id UNIQUE (id)"), std::string::npos) << down;
}

/// A sequence the catalog holds, owned by t.`column` whose default does not use it.
model::Sequence orphan(const std::string& column) {
  model::Sequence sequence;
  sequence.name = "t_" + column + "_seq";
  sequence.owned_by_table = "t";
  sequence.owned_by_column = column;
  sequence.increment = "5";
  sequence.cache = "3";
  sequence.cycle = true;
  return sequence;
}

TEST(CatalogOrphanSequence, DroppedBeforeItsColumnAndPutBackAfterIt) {
  model::Schema database = withUniqueOnTheKey(false, std::nullopt);
  model::Column code;
  code.name = "code";
  code.sql_type = "bigint";
  database.tables[0].columns.push_back(code);
  database.sequences = {orphan("code"), orphan("id")};
  model::Schema file = withUniqueOnTheKey(false, std::nullopt);  // no code, no sequence
  ChangeSet changes = diffSchemas(database, file);
  ASSERT_FALSE(changes.diagnostics.hasErrors());
  std::size_t drops = 0;
  for (const Change& change : changes.changes)
    if (const auto* drop = std::get_if<DropSequence>(&change)) {
      ++drops;
      EXPECT_EQ(std::get<CreateSequence>(inverse(change)).sequence, drop->sequence);
      EXPECT_EQ(kindName(change), "drop_sequence");
    }
  EXPECT_EQ(drops, 2U);
  // Database against database: nothing.
  EXPECT_TRUE(diffSchemas(database, database).empty());

  Plan p = plan(changes);
  const std::string up = emit::planSql(p, Direction::Up);
  const std::string down = emit::planSql(p, Direction::Down);
  // The column's drop would take the sequence with it: the sequence goes first.
  std::size_t drop_sequence = up.find("DROP SEQUENCE s.t_code_seq;");
  std::size_t drop_column = up.find("ALTER TABLE s.t DROP COLUMN code");
  ASSERT_NE(drop_sequence, std::string::npos) << up;
  ASSERT_NE(drop_column, std::string::npos) << up;
  EXPECT_LT(drop_sequence, drop_column);
  EXPECT_NE(up.find("DROP SEQUENCE s.t_id_seq;"), std::string::npos) << up;
  // OWNED BY names the column: it comes back first.
  std::size_t add_column = down.find("ALTER TABLE s.t ADD COLUMN code bigint");
  std::size_t create_sequence = down.find(
      "CREATE SEQUENCE s.t_code_seq AS bigint INCREMENT BY 5 MINVALUE 1 MAXVALUE 9223372036854775807 "
      "START WITH 1 CACHE 3 CYCLE OWNED BY s.t.code;");
  ASSERT_NE(add_column, std::string::npos) << down;
  ASSERT_NE(create_sequence, std::string::npos) << down;
  EXPECT_LT(add_column, create_sequence);

  // compare names it, as verify and drift do.
  std::vector<std::string> lines = model::compareSchemas(file, database);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "sequence t_id_seq: unexpected"), lines.end())
      << ::testing::PrintToString(lines);
}

}  // namespace
}  // namespace felisc::diff
