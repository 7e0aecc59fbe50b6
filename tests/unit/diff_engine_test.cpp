// The diff engine without a database: matching, change records and their
// inverses, ordering, and the SQL of each change kind.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "diff_engine/backfill_file.h"
#include "diff_engine/differ.h"
#include "diff_engine/planner.h"
#include "diff_engine/type_change.h"
#include "emitters/plan_json.h"
#include "emitters/plan_sql.h"
#include "emitters/plan_text.h"
#include "schema_model/resolve.h"
#include "schema_model/type_mapping.h"

namespace felisc::diff {
namespace {

using model::Column;
using model::Constraint;
using model::ConstraintKind;
using model::FelisType;
using model::Schema;
using model::Table;

// ---- model builders ----------------------------------------------------------

Column column(const std::string& name, FelisType type, bool nullable = true,
              std::optional<std::int64_t> length = {}) {
  Column c;
  c.name = name;
  c.datatype = type;
  c.nullable = nullable;
  c.length = length;
  return c;
}

Column withDefault(Column c, model::Scalar::Kind kind, const std::string& text) {
  c.value = model::Scalar{kind, text};
  return c;
}

Column withDescription(Column c, const std::string& description) {
  c.description = description;
  return c;
}

Column withId(Column c, const std::string& id) {
  c.id = id;
  return c;
}

Table table(const std::string& name, std::vector<Column> columns, std::vector<std::string> key = {}) {
  Table t;
  t.name = name;
  t.columns = std::move(columns);
  if (!key.empty()) t.primary_key = model::PrimaryKey{"", std::move(key), {}};
  return t;
}

Constraint unique(const std::string& name, std::vector<std::string> columns) {
  Constraint c;
  c.kind = ConstraintKind::Unique;
  c.name = name;
  c.columns = std::move(columns);
  return c;
}

Constraint foreignKey(const std::string& name, std::vector<std::string> columns, const std::string& ref_table,
                      std::vector<std::string> ref_columns) {
  Constraint c;
  c.kind = ConstraintKind::ForeignKey;
  c.name = name;
  c.columns = std::move(columns);
  c.ref_table = ref_table;
  c.ref_columns = std::move(ref_columns);
  return c;
}

Schema schema(std::vector<Table> tables) {
  Schema s;
  s.name = "s";
  s.tables = std::move(tables);
  model::resolveSchema(s, model::postgresDialect());
  return s;
}

/// Two columns (id bigint, value double) with a two-column-free key so no serial appears.
Table plainTable(const std::string& name) {
  Column id = column("id", FelisType::Long, false);
  id.autoincrement = false;
  return table(name, {id, column("value", FelisType::Double)}, {"id"});
}

Plan planOf(const Schema& old_schema, const Schema& new_schema, DiffOptions diff_options = {},
            PlanOptions plan_options = {}) {
  ChangeSet changes = diffSchemas(old_schema, new_schema, diff_options);
  EXPECT_FALSE(changes.diagnostics.hasErrors());
  return plan(changes, plan_options);
}

std::vector<std::string> statements(const Plan& p, Direction direction) {
  std::vector<std::string> out;
  for (const auto& step : p.steps(direction))
    for (const auto& sql : step.sql) out.push_back(sql);
  return out;
}

std::vector<std::string> kinds(const Plan& p, Direction direction) {
  std::vector<std::string> out;
  for (const auto& step : p.steps(direction)) out.emplace_back(kindName(step.change));
  return out;
}

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

std::size_t positionOf(const std::vector<std::string>& items, const std::string& prefix) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].starts_with(prefix)) return i;
  ADD_FAILURE() << "no statement starts with: " << prefix;
  return items.size();
}

// ---- identity and comments -------------------------------------------------------

TEST(DiffEngine, IdenticalSchemasGiveAnEmptyPlan) {
  Schema a = schema({plainTable("t"), plainTable("u")});
  Plan p = planOf(a, a);
  EXPECT_TRUE(p.empty());
  EXPECT_TRUE(p.down.empty());
  EXPECT_EQ(emit::planSql(p, Direction::Up), "-- felisc diff: no change to schema s\n");
}

TEST(DiffEngine, FelisOnlyFactsProduceNoChange) {
  Schema a = schema({plainTable("t")});
  Schema b = a;
  b.tables[0].columns[1].id = "#other";
  b.tables[0].columns[1].annotations.push_back({"ivoa:ucd", {model::Scalar::Kind::String, "pos.eq.ra"}});
  b.tables[0].annotations.push_back({"tap:table_index", {model::Scalar::Kind::Integer, "3"}});
  b.tables[0].pos = {10, 2};
  std::swap(b.tables[0].columns[0], b.tables[0].columns[1]);  // column order: PostgreSQL cannot change it
  EXPECT_TRUE(diffSchemas(a, b).empty());
}

TEST(DiffEngine, DescriptionOnlyChangeGivesOnlyComments) {
  Table t = plainTable("t");
  Schema a = schema({t});
  t.description = "A table.";
  t.columns[1] = withDescription(t.columns[1], "It's a value.");
  Schema b = schema({t});
  Plan p = planOf(a, b);
  ASSERT_EQ(p.up.size(), 2U);
  for (const auto& sql : statements(p, Direction::Up)) EXPECT_TRUE(sql.starts_with("COMMENT ON ")) << sql;
  EXPECT_TRUE(contains(statements(p, Direction::Up), "COMMENT ON COLUMN s.t.value IS 'It''s a value.'"));
  EXPECT_TRUE(contains(statements(p, Direction::Down), "COMMENT ON TABLE s.t IS NULL"));
  EXPECT_TRUE(contains(statements(p, Direction::Down), "COMMENT ON COLUMN s.t.value IS NULL"));
}

TEST(DiffEngine, EmptyAndMissingDescriptionsAreTheSame) {
  Table t = plainTable("t");
  Schema a = schema({t});
  t.description = "";
  EXPECT_TRUE(diffSchemas(a, schema({t})).empty());
}

// ---- tables -----------------------------------------------------------------------

TEST(DiffEngine, AddTableCreatesItWithItsCommentsAndDropsItOnDowngrade) {
  Table t = plainTable("t");
  t.description = "new";
  t.columns[0] = withDescription(t.columns[0], "key");
  Plan p = planOf(schema({}), schema({t}));
  EXPECT_EQ(kinds(p, Direction::Up), std::vector<std::string>{"add_table"});
  EXPECT_EQ(
      statements(p, Direction::Up),
      (std::vector<std::string>{"CREATE TABLE s.t (\n    id bigint NOT NULL,\n    value double precision,\n"
                                "    CONSTRAINT t_pkey PRIMARY KEY (id)\n)",
                                "COMMENT ON TABLE s.t IS 'new'", "COMMENT ON COLUMN s.t.id IS 'key'"}));
  EXPECT_EQ(statements(p, Direction::Down), std::vector<std::string>{"DROP TABLE s.t"});
  EXPECT_TRUE(p.dataLossSteps(Direction::Up).empty());
  EXPECT_EQ(p.dataLossSteps(Direction::Down).size(), 1U);
}

TEST(DiffEngine, DropTableIsDataLossAndItsInverseRecreatesItExactly) {
  Table t = plainTable("t");
  t.description = "old";
  t.constraints.push_back(unique("un_t_value", {"value"}));
  t.constraints.back().description = "values are unique";
  Plan p = planOf(schema({t}), schema({}));
  ASSERT_EQ(p.up.size(), 1U);
  EXPECT_TRUE(p.up[0].data_loss);
  ASSERT_EQ(p.up[0].hazards.size(), 3U);
  EXPECT_EQ(p.up[0].hazards[0].kind, HazardKind::DeletesData);
  EXPECT_EQ(p.up[0].hazards[1].kind, HazardKind::BreaksReaders);
  EXPECT_EQ(p.up[0].hazards[2].kind, HazardKind::LocksAccessExclusive);
  ASSERT_EQ(p.down[0].hazards.size(), 1U);  // CREATE TABLE locks nothing others can see
  EXPECT_EQ(p.down[0].hazards[0].kind, HazardKind::Irreversible);
  EXPECT_EQ(statements(p, Direction::Down),
            (std::vector<std::string>{
                "CREATE TABLE s.t (\n    id bigint NOT NULL,\n    value double precision,\n"
                "    CONSTRAINT t_pkey PRIMARY KEY (id),\n    CONSTRAINT un_t_value UNIQUE (value)\n)",
                "COMMENT ON TABLE s.t IS 'old'",
                "COMMENT ON CONSTRAINT un_t_value ON s.t IS 'values are unique'"}));
}

TEST(DiffEngine, TableRenameByIdRenamesTheTableAndItsPrimaryKey) {
  Table t = plainTable("old_name");
  t.id = "#stable";
  Schema a = schema({t});
  t.name = "new_name";
  Plan p = planOf(a, schema({t}));
  EXPECT_EQ(
      statements(p, Direction::Up),
      (std::vector<std::string>{"ALTER TABLE s.old_name RENAME TO new_name",
                                "ALTER TABLE s.new_name RENAME CONSTRAINT old_name_pkey TO new_name_pkey"}));
  EXPECT_EQ(
      statements(p, Direction::Down),
      (std::vector<std::string>{"ALTER TABLE s.new_name RENAME CONSTRAINT new_name_pkey TO old_name_pkey",
                                "ALTER TABLE s.new_name RENAME TO old_name"}));
}

TEST(DiffEngine, WithoutStableIdARenamedTableIsDropAndAdd) {
  Table t = plainTable("old_name");
  Schema a = schema({t});
  t.name = "new_name";
  EXPECT_EQ(kinds(planOf(a, schema({t})), Direction::Up),
            (std::vector<std::string>{"drop_table", "add_table"}));
  DiffOptions hinted;
  hinted.renames = {"old_name=new_name"};
  EXPECT_EQ(kinds(planOf(a, schema({t}), hinted), Direction::Up),
            (std::vector<std::string>{"rename_table", "rename_constraint"}));
}

TEST(DiffEngine, SerialSequenceFollowsATableRename) {
  Table t = table("a", {column("id", FelisType::Int, false)}, {"id"});
  t.id = "#a";
  Schema a = schema({t});
  ASSERT_EQ(a.tables[0].columns[0].generation, model::Generation::Serial);
  t.name = "b";
  Plan p = planOf(a, schema({t}));
  EXPECT_TRUE(contains(statements(p, Direction::Up), "ALTER SEQUENCE s.a_id_seq RENAME TO b_id_seq"));
  EXPECT_TRUE(contains(statements(p, Direction::Down), "ALTER SEQUENCE s.b_id_seq RENAME TO a_id_seq"));
}

// ---- columns ------------------------------------------------------------------------

TEST(DiffEngine, AddNullableColumn) {
  Table t = plainTable("t");
  Schema a = schema({t});
  t.columns.push_back(withDescription(column("extra", FelisType::String, true, 32), "more"));
  Plan p = planOf(a, schema({t}));
  EXPECT_EQ(statements(p, Direction::Up),
            (std::vector<std::string>{"ALTER TABLE s.t ADD COLUMN extra character varying(32)",
                                      "COMMENT ON COLUMN s.t.extra IS 'more'"}));
  EXPECT_EQ(statements(p, Direction::Down), std::vector<std::string>{"ALTER TABLE s.t DROP COLUMN extra"});
  EXPECT_TRUE(p.dataLossSteps(Direction::Up).empty());
  EXPECT_EQ(p.dataLossSteps(Direction::Down).size(), 1U);
}

TEST(DiffEngine, AddNotNullColumnWithDefaultNeedsNoBackfill) {
  Table t = plainTable("t");
  Schema a = schema({t});
  t.columns.push_back(withDefault(column("flag", FelisType::Int, false), model::Scalar::Kind::Integer, "0"));
  Plan p = planOf(a, schema({t}));
  EXPECT_EQ(statements(p, Direction::Up),
            std::vector<std::string>{"ALTER TABLE s.t ADD COLUMN flag integer DEFAULT 0 NOT NULL"});
  EXPECT_FALSE(p.up[0].backfill);
  EXPECT_NE(emit::planText(p, Direction::Up).find("(existing rows get its default 0)"), std::string::npos);
}

TEST(DiffEngine, AddNotNullColumnWithoutDefaultHasAMissingBackfillGuard) {
  Table t = plainTable("t");
  Schema a = schema({t});
  t.columns.push_back(column("n", FelisType::Int, false));
  Plan p = planOf(a, schema({t}));
  EXPECT_EQ(statements(p, Direction::Up),
            (std::vector<std::string>{
                "ALTER TABLE s.t ADD COLUMN n integer",
                "DO $felisc$ BEGIN IF EXISTS (SELECT 1 FROM s.t WHERE n IS NULL) THEN RAISE EXCEPTION "
                "'felisc: backfill missing for t.n: it becomes NOT NULL, has no default, and holds NULLs'; "
                "END IF; END $felisc$",
                "ALTER TABLE s.t ALTER COLUMN n SET NOT NULL"}));
  ASSERT_EQ(p.missingBackfills(Direction::Up).size(), 1U);
  EXPECT_EQ(p.missingBackfills(Direction::Up)[0].column, "n");
  std::string sql = emit::planSql(p, Direction::Up);
  EXPECT_NE(sql.find("-- >>> BACKFILL MISSING for t.n"), std::string::npos) << sql;
  EXPECT_NE(emit::planText(p, Direction::Up).find("missing backfills: t.n"), std::string::npos);
}

TEST(DiffEngine, ProvidedBackfillExpressionOrStatement) {
  Table t = plainTable("t");
  Schema a = schema({t});
  t.columns.push_back(column("n", FelisType::Int, false));
  PlanOptions options;
  options.backfills["t.n"] = "id % 7;\n";
  Plan p = planOf(a, schema({t}), {}, options);
  EXPECT_TRUE(contains(statements(p, Direction::Up), "UPDATE s.t SET n = (id % 7) WHERE n IS NULL"));
  EXPECT_TRUE(p.missingBackfills(Direction::Up).empty());
  options.backfills["t.n"] = "update s.t set n = 1";
  p = planOf(a, schema({t}), {}, options);
  EXPECT_TRUE(contains(statements(p, Direction::Up), "update s.t set n = 1"));
}

TEST(DiffEngine, MakingAColumnNotNullBackfillsFromItsDefault) {
  Table t = plainTable("t");
  t.columns.push_back(withDefault(column("n", FelisType::Int, true), model::Scalar::Kind::Integer, "5"));
  Schema a = schema({t});
  t.columns.back().nullable = false;
  Plan p = planOf(a, schema({t}));
  EXPECT_EQ(statements(p, Direction::Up),
            (std::vector<std::string>{"UPDATE s.t SET n = DEFAULT WHERE n IS NULL",
                                      "ALTER TABLE s.t ALTER COLUMN n SET NOT NULL"}));
  ASSERT_TRUE(p.up[0].backfill);
  EXPECT_EQ(p.up[0].backfill->source, BackfillSlot::Source::Default);
  EXPECT_EQ(statements(p, Direction::Down),
            std::vector<std::string>{"ALTER TABLE s.t ALTER COLUMN n DROP NOT NULL"});
}

TEST(DiffEngine, DroppedNotNullColumnComesBackWithABackfillSlotOnDowngrade) {
  Table t = plainTable("t");
  t.columns.push_back(column("n", FelisType::Int, false));
  Schema a = schema({t});
  t.columns.pop_back();
  Plan p = planOf(a, schema({t}));
  EXPECT_EQ(statements(p, Direction::Up), std::vector<std::string>{"ALTER TABLE s.t DROP COLUMN n"});
  EXPECT_EQ(p.missingBackfills(Direction::Down).size(), 1U);
}

TEST(DiffEngine, ColumnRenameByIdAndByHint) {
  Table t = plainTable("t");
  t.columns.push_back(withId(column("old_c", FelisType::Int), "#t.c"));
  Schema a = schema({t});
  t.columns.back().name = "new_c";
  Plan p = planOf(a, schema({t}));
  EXPECT_EQ(statements(p, Direction::Up),
            std::vector<std::string>{"ALTER TABLE s.t RENAME COLUMN old_c TO new_c"});

  t.columns.back().id = "#t.new_c";
  EXPECT_EQ(kinds(planOf(a, schema({t})), Direction::Up),
            (std::vector<std::string>{"drop_column", "add_column"}));
  DiffOptions hinted;
  hinted.renames = {"t.old_c=new_c"};
  EXPECT_EQ(kinds(planOf(a, schema({t}), hinted), Direction::Up), std::vector<std::string>{"rename_column"});
}

TEST(DiffEngine, BadHintsAreDiagnostics) {
  Schema a = schema({plainTable("t")});
  DiffOptions hinted;
  hinted.renames = {"nothing", "x=y", "t.nope=value"};
  ChangeSet changes = diffSchemas(a, a, hinted);
  ASSERT_EQ(changes.diagnostics.errorCount(), 3U);
  EXPECT_EQ(changes.diagnostics.all()[0].code(), "FEL601");
  EXPECT_EQ(changes.diagnostics.all()[1].message, "rename hint 'x=y': no table 'x' in the old schema");
  EXPECT_EQ(changes.diagnostics.all()[2].message,
            "rename hint 't.nope=value': no column 'nope' in the old schema");
}

TEST(DiffEngine, ColumnSwapGoesThroughATemporaryName) {
  Table t = table("t", {column("a", FelisType::Int), column("b", FelisType::Int)});
  Schema a = schema({t});
  DiffOptions hinted;
  hinted.renames = {"t.a=b", "t.b=a"};
  Plan p = planOf(a, a, hinted);
  EXPECT_EQ(statements(p, Direction::Up),
            (std::vector<std::string>{"ALTER TABLE s.t RENAME COLUMN a TO felisc_tmp1_a",
                                      "ALTER TABLE s.t RENAME COLUMN b TO a",
                                      "ALTER TABLE s.t RENAME COLUMN felisc_tmp1_a TO b"}));
  EXPECT_EQ(statements(p, Direction::Down),
            (std::vector<std::string>{"ALTER TABLE s.t RENAME COLUMN b TO felisc_tmp1_a",
                                      "ALTER TABLE s.t RENAME COLUMN a TO b",
                                      "ALTER TABLE s.t RENAME COLUMN felisc_tmp1_a TO a"}));
}

TEST(DiffEngine, RenameChainRunsInTheRightOrder) {
  Table t =
      table("t", {withId(column("a", FelisType::Int), "#1"), withId(column("b", FelisType::Int), "#2")});
  Schema a = schema({t});
  t.columns[0].name = "b";  // a -> b
  t.columns[1].name = "c";  // b -> c
  Plan p = planOf(a, schema({t}));
  EXPECT_EQ(statements(p, Direction::Up), (std::vector<std::string>{"ALTER TABLE s.t RENAME COLUMN b TO c",
                                                                    "ALTER TABLE s.t RENAME COLUMN a TO b"}));
}

// ---- types --------------------------------------------------------------------------

TEST(DiffEngine, WideningTypeChangeIsNotDataLoss) {
  Table t = table("t", {column("c", FelisType::Int)});
  Schema a = schema({t});
  t.columns[0].datatype = FelisType::Long;
  Plan p = planOf(a, schema({t}));
  EXPECT_EQ(statements(p, Direction::Up),
            std::vector<std::string>{"ALTER TABLE s.t ALTER COLUMN c TYPE bigint"});
  EXPECT_TRUE(p.dataLossSteps(Direction::Up).empty());
  ASSERT_EQ(p.dataLossSteps(Direction::Down).size(), 1U);
  EXPECT_EQ(statements(p, Direction::Down),
            std::vector<std::string>{"ALTER TABLE s.t ALTER COLUMN c TYPE integer"});
}

TEST(DiffEngine, TypeChangeWithoutAssignmentCastGetsUsing) {
  Table t = table("t", {column("c", FelisType::String, true, 10)});
  Schema a = schema({t});
  t.columns[0] = column("c", FelisType::Int);
  Plan p = planOf(a, schema({t}));
  EXPECT_EQ(statements(p, Direction::Up),
            std::vector<std::string>{"ALTER TABLE s.t ALTER COLUMN c TYPE integer USING c::integer"});
  // integer -> varchar(10) is an assignment cast, but -2147483648 has 11 characters.
  EXPECT_EQ(statements(p, Direction::Down),
            std::vector<std::string>{"ALTER TABLE s.t ALTER COLUMN c TYPE character varying(10)"});
  EXPECT_EQ(p.dataLossSteps(Direction::Up).size(), 1U);
  EXPECT_EQ(p.dataLossSteps(Direction::Down).size(), 1U);
}

TEST(DiffEngine, TypeChangeDropsAndRestoresTheDefault) {
  Table t = table("t", {withDefault(column("c", FelisType::Int), model::Scalar::Kind::Integer, "1")});
  Schema a = schema({t});
  t.columns[0] = withDefault(column("c", FelisType::String, true, 8), model::Scalar::Kind::String, "x");
  Plan p = planOf(a, schema({t}));
  EXPECT_EQ(statements(p, Direction::Up),
            (std::vector<std::string>{"ALTER TABLE s.t ALTER COLUMN c DROP DEFAULT",
                                      "ALTER TABLE s.t ALTER COLUMN c TYPE character varying(8)",
                                      "ALTER TABLE s.t ALTER COLUMN c SET DEFAULT 'x'::character varying"}));
}

TEST(TypeChange, CastTable) {
  auto using_of = [](const char* from, const char* to) {
    return classifyTypeChange(from, to, "c").using_expr;
  };
  EXPECT_EQ(using_of("integer", "bigint"), "");
  EXPECT_EQ(using_of("bigint", "integer"), "");
  EXPECT_EQ(using_of("double precision", "integer"), "");
  EXPECT_EQ(using_of("text", "integer"), "c::integer");
  EXPECT_EQ(using_of("character varying(10)", "double precision"), "c::double precision");
  EXPECT_EQ(using_of("integer", "text"), "");
  EXPECT_EQ(using_of("integer", "boolean"), "(c <> 0)");
  EXPECT_EQ(using_of("boolean", "integer"), "c::integer");
  EXPECT_EQ(using_of("boolean", "bigint"), "c::integer::bigint");
  EXPECT_EQ(using_of("text", "boolean"), "c::boolean");
  EXPECT_EQ(using_of("timestamp(6) without time zone", "timestamp with time zone"), "");
  EXPECT_EQ(using_of("text", "bytea"), "c::bytea");
  EXPECT_EQ(using_of("timestamp without time zone", "bigint"), "extract(epoch from c)::bigint");
  EXPECT_EQ(using_of("double precision", "timestamp with time zone"),
            "to_timestamp(c)::timestamp with time zone");
  EXPECT_FALSE(classifyTypeChange("bytea", "integer", "c").convertible);
  EXPECT_FALSE(classifyTypeChange("boolean", "date", "c").convertible);
  EXPECT_TRUE(classifyTypeChange("bytea", "text", "c").convertible);
}

TEST(TypeChange, Narrowing) {
  auto narrows = [](const char* from, const char* to) { return classifyTypeChange(from, to, "c").narrows; };
  EXPECT_TRUE(narrows("character varying(64)", "character varying(32)"));
  EXPECT_FALSE(narrows("character varying(32)", "character varying(64)"));
  EXPECT_FALSE(narrows("character varying(32)", "text"));
  EXPECT_TRUE(narrows("text", "character varying(32)"));
  EXPECT_TRUE(narrows("bigint", "integer"));
  EXPECT_FALSE(narrows("smallint", "bigint"));
  EXPECT_TRUE(narrows("double precision", "real"));
  EXPECT_FALSE(narrows("real", "double precision"));
  EXPECT_TRUE(narrows("bigint", "double precision"));
  EXPECT_FALSE(narrows("integer", "double precision"));
  EXPECT_TRUE(narrows("timestamp(6) without time zone", "timestamp(3) without time zone"));
  EXPECT_FALSE(narrows("smallint", "character varying(6)"));
  EXPECT_TRUE(narrows("integer", "character varying(10)"));
  EXPECT_FALSE(narrows("boolean", "integer"));
  EXPECT_TRUE(narrows("integer", "boolean"));
  EXPECT_FALSE(classifyTypeChange("character varying(8)", "text", "c").rewrites);
  EXPECT_TRUE(classifyTypeChange("integer", "bigint", "c").rewrites);
}

// ---- keys and constraints -----------------------------------------------------------------

TEST(DiffEngine, ConstraintRenameIsRenameNotDropAndAdd) {
  Table target = plainTable("target");
  Table t = plainTable("t");
  t.columns.push_back(column("ref", FelisType::Long));
  t.constraints = {unique("un_long_name", {"value"}), foreignKey("fk_long_name", {"ref"}, "target", {"id"})};
  Schema a = schema({target, t});
  t.constraints[0].name = "un_short";
  t.constraints[1].name = "fk_short";
  Plan p = planOf(a, schema({target, t}));
  EXPECT_EQ(statements(p, Direction::Up),
            (std::vector<std::string>{"ALTER TABLE s.t RENAME CONSTRAINT un_long_name TO un_short",
                                      "ALTER TABLE s.t RENAME CONSTRAINT fk_long_name TO fk_short"}));
}

TEST(DiffEngine, ForeignKeysDropFirstAndAddLast) {
  Table target = plainTable("target");
  Table t = plainTable("t");
  t.columns.push_back(column("ref", FelisType::Long));
  t.constraints = {foreignKey("fk_t_target", {"ref"}, "target", {"id"})};
  Schema with_fk = schema({target, t});
  Schema without = schema({plainTable("t")});
  // Dropping the referenced table: the foreign key goes first, then the column, then the table.
  Plan p = planOf(with_fk, without);
  auto up = statements(p, Direction::Up);
  EXPECT_LT(positionOf(up, "ALTER TABLE s.t DROP CONSTRAINT fk_t_target"),
            positionOf(up, "DROP TABLE s.target"));
  EXPECT_LT(positionOf(up, "ALTER TABLE s.t DROP CONSTRAINT fk_t_target"),
            positionOf(up, "ALTER TABLE s.t DROP COLUMN ref"));
  // The downgrade creates the table and the column before the foreign key.
  auto down = statements(p, Direction::Down);
  EXPECT_LT(positionOf(down, "CREATE TABLE s.target"),
            positionOf(down, "ALTER TABLE s.t ADD CONSTRAINT fk_t_target"));
  EXPECT_LT(positionOf(down, "ALTER TABLE s.t ADD COLUMN ref"),
            positionOf(down, "ALTER TABLE s.t ADD CONSTRAINT fk_t_target"));
}

TEST(DiffEngine, ForeignKeyCycleBetweenNewTables) {
  Table a = plainTable("a");
  Table b = plainTable("b");
  a.columns.push_back(column("b_id", FelisType::Long));
  b.columns.push_back(column("a_id", FelisType::Long));
  a.constraints = {foreignKey("fk_a_b", {"b_id"}, "b", {"id"})};
  b.constraints = {foreignKey("fk_b_a", {"a_id"}, "a", {"id"})};
  Plan p = planOf(schema({}), schema({a, b}));
  EXPECT_EQ(kinds(p, Direction::Up),
            (std::vector<std::string>{"add_table", "add_table", "add_constraint", "add_constraint"}));
  EXPECT_EQ(kinds(p, Direction::Down),
            (std::vector<std::string>{"drop_constraint", "drop_constraint", "drop_table", "drop_table"}));
  // Constraints on a table the plan creates are not row-checking hazards.
  EXPECT_TRUE(p.up[2].hazards.empty());
}

TEST(DiffEngine, PrimaryKeyChangeDropsReferencingForeignKeysFirstAndRebuildsThem) {
  Table parent =
      table("parent", {column("a", FelisType::Int, false), column("b", FelisType::Int, false)}, {"a"});
  parent.columns[0].autoincrement = false;
  parent.constraints = {unique("un_parent_a_b", {"a", "b"})};
  Table child = table("child", {column("a", FelisType::Int, false), column("b", FelisType::Int, false)});
  child.constraints = {foreignKey("fk_child_parent", {"a", "b"}, "parent", {"a", "b"})};
  Schema a = schema({parent, child});
  // The unique key becomes the primary key: the unique constraint goes, the FK must follow.
  parent.primary_key->columns = {"a", "b"};
  parent.constraints.clear();
  Plan p = planOf(a, schema({parent, child}));
  auto up = statements(p, Direction::Up);
  EXPECT_LT(positionOf(up, "ALTER TABLE s.child DROP CONSTRAINT fk_child_parent"),
            positionOf(up, "ALTER TABLE s.parent DROP CONSTRAINT un_parent_a_b"));
  EXPECT_LT(positionOf(up, "ALTER TABLE s.parent DROP CONSTRAINT parent_pkey"),
            positionOf(up, "ALTER TABLE s.parent ADD CONSTRAINT parent_pkey PRIMARY KEY (a, b)"));
  EXPECT_LT(positionOf(up, "ALTER TABLE s.parent ADD CONSTRAINT parent_pkey PRIMARY KEY (a, b)"),
            positionOf(up, "ALTER TABLE s.child ADD CONSTRAINT fk_child_parent"));
}

TEST(DiffEngine, LeavingThePrimaryKeyDropsNotNullAfterTheKey) {
  Table t = table("t", {column("a", FelisType::Int), column("b", FelisType::Int)}, {"a", "b"});
  Schema a = schema({t});
  t.primary_key->columns = {"a"};
  t.columns[0].autoincrement = false;
  Plan p = planOf(a, schema({t}));
  EXPECT_EQ(statements(p, Direction::Up),
            (std::vector<std::string>{"ALTER TABLE s.t DROP CONSTRAINT t_pkey",
                                      "ALTER TABLE s.t ALTER COLUMN b DROP NOT NULL",
                                      "ALTER TABLE s.t ADD CONSTRAINT t_pkey PRIMARY KEY (a)"}));
}

TEST(DiffEngine, IndexAddDropRename) {
  Table t = plainTable("t");
  model::Index index;
  index.name = "idx_value";
  index.elements = {{"value", false}};
  t.indexes = {index};
  Schema a = schema({t});
  t.indexes[0].name = "idx_renamed";
  EXPECT_EQ(statements(planOf(a, schema({t})), Direction::Up),
            std::vector<std::string>{"ALTER INDEX s.idx_value RENAME TO idx_renamed"});
  t.indexes[0].elements.push_back({"lower(id::text)", true});
  t.indexes[0].unique = true;
  EXPECT_EQ(statements(planOf(a, schema({t})), Direction::Up),
            (std::vector<std::string>{"DROP INDEX s.idx_value",
                                      "CREATE UNIQUE INDEX idx_renamed ON s.t (value, (lower(id::text)))"}));
}

// ---- serial ---------------------------------------------------------------------------

TEST(DiffEngine, SerialGoesAwayWhenThePrimaryKeyGrows) {
  Table t = table("t", {column("id", FelisType::Long, false), column("n", FelisType::Int, false)}, {"id"});
  Schema a = schema({t});
  ASSERT_EQ(a.tables[0].columns[0].generation, model::Generation::Serial);
  t.primary_key->columns = {"id", "n"};
  Plan p = planOf(a, schema({t}));
  auto up = statements(p, Direction::Up);
  EXPECT_TRUE(contains(up, "ALTER TABLE s.t ALTER COLUMN id DROP DEFAULT"));
  EXPECT_TRUE(contains(up, "DROP SEQUENCE s.t_id_seq"));
  auto down = statements(p, Direction::Down);
  EXPECT_TRUE(contains(down, "CREATE SEQUENCE s.t_id_seq AS bigint OWNED BY s.t.id"));
  EXPECT_TRUE(contains(down, "ALTER TABLE s.t ALTER COLUMN id SET DEFAULT nextval('s.t_id_seq'::regclass)"));
  EXPECT_TRUE(contains(down, "SELECT setval('s.t_id_seq', COALESCE(max(id), 0) + 1, false) FROM s.t"));
}

// ---- plan-wide properties ------------------------------------------------------------------

std::vector<Change> everyKind() {
  Table t = plainTable("t");
  t.constraints = {unique("un_t", {"value"})};
  model::Index index;
  index.name = "idx_t";
  index.elements = {{"value", false}};
  t.indexes = {index};
  Schema s = schema({t});
  const Table& r = s.tables[0];
  Column c = r.columns[1];
  Column d = c;
  d.sql_type = "real";
  d.nullable = false;
  return {CreateSchema{"s"},
          AddTable{r},
          RenameTable{"t", "u"},
          AddColumn{"t", c, 1},
          AlterColumn{"t", c, d, kColumnType | kColumnNullability},
          RenameColumn{"t", "a", "b"},
          SetComment{ObjectKind::Column, "t", "value", std::nullopt, "text"},
          AddConstraint{"t", foreignKey("fk", {"value"}, "x", {"y"}), false},
          RenameConstraint{"t", "a", "b", true},
          AddPrimaryKey{"t", *r.primary_key},
          AddIndex{"t", index, false},
          RenameIndex{"t", "a", "b"},
          RenameSequence{"t", "id", "a", "b"}};
}

TEST(DiffEngine, EveryChangeHasAnExactInverse) {
  PlanOptions options;
  for (const Change& change : everyKind()) {
    Change back = inverse(inverse(change));
    EXPECT_EQ(kindName(back), kindName(change));
    EXPECT_EQ(renderStep(back, "s", options).sql, renderStep(change, "s", options).sql) << describe(change);
    EXPECT_NE(kindName(inverse(change)), "") << describe(change);
    // A change and its inverse never both lose data, except a narrowing whose way back also narrows.
    if (!std::holds_alternative<AlterColumn>(change)) {
      EXPECT_FALSE(losesData(change) && losesData(inverse(change)));
    }
  }
}

TEST(DiffEngine, OutputIsDeterministic) {
  Table target = plainTable("target");
  Table t = plainTable("t");
  t.columns.push_back(column("ref", FelisType::Long));
  t.constraints = {foreignKey("fk", {"ref"}, "target", {"id"}), unique("un", {"value"})};
  Schema a = schema({target, t, plainTable("x")});
  t.columns.push_back(column("more", FelisType::Int, false));
  t.columns[1].datatype = FelisType::Float;
  Schema b = schema({t, plainTable("y")});
  DiffOptions options;
  options.old_label = "a.yaml";
  options.new_label = "b.yaml";
  Plan first = planOf(a, b, options);
  Plan second = planOf(a, b, options);
  for (auto direction : {Direction::Up, Direction::Down}) {
    EXPECT_EQ(emit::planSql(first, direction), emit::planSql(second, direction));
    EXPECT_EQ(emit::planText(first, direction), emit::planText(second, direction));
    EXPECT_EQ(emit::planJson(first, direction), emit::planJson(second, direction));
  }
}

TEST(DiffEngine, SqlIsOneTransactionWithAHeader) {
  Table t = plainTable("t");
  Schema a = schema({t});
  t.columns.pop_back();
  DiffOptions options;
  options.old_label = "a.yaml";
  options.new_label = "b.yaml";
  Plan p = planOf(a, schema({t}), options);
  EXPECT_EQ(emit::planSql(p, Direction::Up),
            "-- felisc diff: upgrade of schema s\n"
            "-- from: a.yaml\n"
            "-- to:   b.yaml\n"
            "-- 1 step; data loss: 1 step; missing backfills: none\n"
            "BEGIN;\n"
            "SET LOCAL lock_timeout = '10s';\n"
            "\n"
            "-- drop column t.value\n"
            "-- hazard DELETES_DATA: drops column t.value and its values\n"
            "-- hazard BREAKS_READERS: clients that use column t.value break (PostgreSQL refuses the drop "
            "while a view uses it)\n"
            "-- hazard ACQUIRES_ACCESS_EXCLUSIVE_LOCK: takes an ACCESS EXCLUSIVE lock on table t: reads and "
            "writes wait until the transaction ends\n"
            "ALTER TABLE s.t DROP COLUMN value;\n"
            "\n"
            "COMMIT;\n");
  EXPECT_EQ(emit::planSql(p, Direction::Down),
            "-- felisc diff: downgrade of schema s\n"
            "-- from: b.yaml\n"
            "-- to:   a.yaml\n"
            "-- 1 step; data loss: none; missing backfills: none\n"
            "BEGIN;\n"
            "SET LOCAL lock_timeout = '10s';\n"
            "\n"
            "-- add column t.value double precision\n"
            "-- hazard IRREVERSIBLE: re-adds column t.value without its values: the upgrade dropped them\n"
            "-- hazard ACQUIRES_ACCESS_EXCLUSIVE_LOCK: takes an ACCESS EXCLUSIVE lock on table t: reads and "
            "writes wait until the transaction ends\n"
            "ALTER TABLE s.t ADD COLUMN value double precision;\n"
            "\n"
            "COMMIT;\n");
}

TEST(DiffEngine, SchemaOverrideAndQuoting) {
  Table t = table("Mixed", {column("select", FelisType::Int)});
  Schema a = schema({});
  PlanOptions options;
  options.schema = "Other";
  Plan p = planOf(a, schema({t}), {}, options);
  EXPECT_EQ(statements(p, Direction::Up),
            std::vector<std::string>{"CREATE TABLE \"Other\".\"Mixed\" (\n    \"select\" integer\n)"});
}

TEST(DiffEngine, CreateSchemaWhenTheOldSideHasNone) {
  DiffOptions options;
  options.old_schema_absent = true;
  Plan p = planOf(schema({}), schema({plainTable("t")}), options);
  EXPECT_EQ(kinds(p, Direction::Up), (std::vector<std::string>{"create_schema", "add_table"}));
  EXPECT_EQ(kinds(p, Direction::Down), (std::vector<std::string>{"drop_table", "drop_schema"}));
}

TEST(DiffEngine, JsonHasTheDocumentedShape) {
  Table t = plainTable("t");
  Schema a = schema({t});
  t.columns.push_back(column("n", FelisType::Int, false));
  Plan p = planOf(a, schema({t}));
  std::string json = emit::planJson(p, Direction::Up);
  EXPECT_TRUE(
      json.starts_with("{\n  \"format\": \"felisc-plan\",\n  \"version\": 1,\n  \"direction\": \"up\",\n"))
      << json;
  EXPECT_NE(json.find("\"missing_backfills\": [\n    {\n      \"table\": \"t\",\n      \"column\": \"n\"\n"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"kind\": \"add_column\""), std::string::npos);
  EXPECT_NE(json.find("\"source\": \"missing\""), std::string::npos);
}

}  // namespace
}  // namespace felisc::diff

namespace felisc::diff {
namespace {

TEST(BackfillFile, SectionsExpressionsAndStatements) {
  BackfillFile file = parseBackfillFile(
      "-- Values for rows that exist before the upgrade.\n"
      "\n"
      "-- backfill: exposure.seq_num\n"
      "exposure_id % 100000;\n"
      "\n"
      "--backfill:   exposure.note\n"
      "UPDATE s.exposure\n"
      "   SET note = 'x';\n",
      "b.sql");
  EXPECT_TRUE(file.diagnostics.empty());
  ASSERT_EQ(file.backfills.size(), 2U);
  EXPECT_EQ(file.backfills.at("exposure.seq_num"), "exposure_id % 100000");
  EXPECT_EQ(file.backfills.at("exposure.note"), "UPDATE s.exposure\n   SET note = 'x'");
}

TEST(BackfillFile, Errors) {
  BackfillFile file = parseBackfillFile(
      "stray sql\n"
      "-- backfill: nodot\n"
      "1\n"
      "-- backfill: t.c\n"
      "\n"
      "-- backfill: t.d\n"
      "1\n"
      "-- backfill: t.d\n"
      "2\n",
      "b.sql");
  ASSERT_EQ(file.diagnostics.errorCount(), 4U);
  std::vector<std::string> rendered;
  for (const auto& d : file.diagnostics.all()) rendered.push_back(model::renderDiagnostic(d));
  EXPECT_EQ(rendered,
            (std::vector<std::string>{
                "b.sql:1:1: error: SQL before the first '-- backfill: table.column' marker [FEL604]\n",
                "b.sql:2:1: error: backfill marker names 'nodot', not table.column [FEL603]\n",
                "b.sql:4:1: error: the backfill for 't.c' is empty [FEL605]\n",
                "b.sql:8:1: error: a backfill for 't.d' is already given [FEL606]\n"}));
  EXPECT_EQ(file.backfills.size(), 1U);
}

TEST(BackfillFile, UnusedBackfillsAreReported) {
  Schema a = schema({plainTable("t")});
  PlanOptions options;
  options.backfills["t.typo"] = "1";
  Plan p = plan(diffSchemas(a, a), options);
  EXPECT_EQ(p.unused_backfills, std::vector<std::string>{"t.typo"});
}

}  // namespace
}  // namespace felisc::diff

namespace felisc::diff {
namespace {

TEST(DiffEngine, ProvidedBackfillWinsOverTheDefault) {
  Table t = plainTable("t");
  Schema a = schema({t});
  t.columns.push_back(withDefault(column("code", FelisType::Int, false), model::Scalar::Kind::Integer, "0"));
  PlanOptions options;
  options.backfills["t.code"] = "id";
  Plan p = planOf(a, schema({t}), {}, options);
  EXPECT_EQ(statements(p, Direction::Up),
            (std::vector<std::string>{"ALTER TABLE s.t ADD COLUMN code integer",
                                      "UPDATE s.t SET code = (id) WHERE code IS NULL",
                                      "ALTER TABLE s.t ALTER COLUMN code SET DEFAULT 0",
                                      "ALTER TABLE s.t ALTER COLUMN code SET NOT NULL"}));
}

}  // namespace
}  // namespace felisc::diff
