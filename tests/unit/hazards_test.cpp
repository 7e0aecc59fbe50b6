// Hazards that depend on the plan and the direction (diff_engine/hazards.h):
// the locks each statement shape takes, tables the plan creates, both
// directions of a plan, and the golden cases that show every hazard kind and
// every compatibility class. tests/pg/hazards_pg_test.cpp checks the locks on
// a real server.
#include "diff_engine/hazards.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "diff_engine/compatibility.h"
#include "tests/support/test_paths.h"
#include "tests/unit/diff_golden.h"

namespace felisc::diff {
namespace {

using model::Column;
using model::Constraint;
using model::ConstraintKind;

Column col(const std::string& name, const std::string& sql_type, bool nullable = true) {
  Column c;
  c.name = name;
  c.sql_type = sql_type;
  c.nullable = nullable;
  return c;
}

Constraint foreignKey() {
  Constraint c;
  c.kind = ConstraintKind::ForeignKey;
  c.name = "fk_v_e";
  c.columns = {"e_id"};
  c.ref_table = "e";
  c.ref_columns = {"id"};
  return c;
}

model::Table table(const std::string& name) {
  model::Table t;
  t.name = name;
  t.columns = {col("id", "bigint", false), col("value", "double precision")};
  t.primary_key = model::PrimaryKey{name + "_pkey", {"id"}, {}};
  return t;
}

Plan planOf(std::vector<Change> changes) {
  ChangeSet set;
  set.old_schema = "s";
  set.new_schema = "s";
  set.changes = std::move(changes);
  return plan(set);
}

std::vector<HazardKind> kinds(const Step& step) {
  std::vector<HazardKind> out;
  for (const auto& hazard : step.hazards) out.push_back(hazard.kind);
  return out;
}

bool has(const Step& step, HazardKind kind) {
  auto k = kinds(step);
  return std::find(k.begin(), k.end(), kind) != k.end();
}

const Hazard* find(const Step& step, HazardKind kind) {
  for (const auto& hazard : step.hazards)
    if (hazard.kind == kind) return &hazard;
  return nullptr;
}

using L = LockMode;

TEST(Hazards, StatementLocksFollowPostgresql15) {
  const Change add_column = AddColumn{"t", col("c", "integer"), 0};
  EXPECT_EQ(statementLocks("ALTER TABLE s.t ADD COLUMN c integer", add_column),
            (std::vector<RelationLock>{{"t", false, L::AccessExclusive}}));
  const Change add_fk = AddConstraint{"v", foreignKey(), false};
  EXPECT_EQ(
      statementLocks("ALTER TABLE s.v ADD CONSTRAINT fk_v_e FOREIGN KEY (e_id) REFERENCES s.e (id)", add_fk),
      (std::vector<RelationLock>{{"v", false, L::ShareRowExclusive}, {"e", false, L::ShareRowExclusive}}));
  EXPECT_EQ(
      statementLocks("ALTER TABLE s.v ADD CONSTRAINT fk_v_e FOREIGN KEY (e_id) REFERENCES s.e (id) NOT VALID",
                     add_fk)
          .size(),
      2U);
  EXPECT_TRUE(statementLocks("ALTER TABLE s.v VALIDATE CONSTRAINT fk_v_e", add_fk).empty());
  // The comment of a new constraint takes SHARE UPDATE EXCLUSIVE at most.
  EXPECT_TRUE(statementLocks("COMMENT ON CONSTRAINT fk_v_e ON s.v IS 'x'", add_fk).empty());
  const Change drop_fk = DropConstraint{"v", foreignKey(), false};
  EXPECT_EQ(statementLocks("ALTER TABLE s.v DROP CONSTRAINT fk_v_e", drop_fk),
            (std::vector<RelationLock>{{"v", false, L::AccessExclusive}, {"e", false, L::AccessExclusive}}));
  model::Index index;
  index.name = "i";
  index.elements = {{"c", false}};
  const Change add_index = AddIndex{"t", index, false};
  EXPECT_EQ(statementLocks("CREATE INDEX i ON s.t (c)", add_index),
            (std::vector<RelationLock>{{"t", false, L::Share}}));
  EXPECT_EQ(statementLocks("CREATE UNIQUE INDEX i ON s.t (c)", add_index),
            (std::vector<RelationLock>{{"t", false, L::Share}}));
  EXPECT_TRUE(statementLocks("CREATE INDEX CONCURRENTLY i ON s.t (c)", add_index).empty());
  const Change drop_index = DropIndex{"t", index, false};
  EXPECT_EQ(statementLocks("DROP INDEX s.i", drop_index),
            (std::vector<RelationLock>{{"t", false, L::AccessExclusive}}));
  EXPECT_TRUE(statementLocks("DROP INDEX CONCURRENTLY s.i", drop_index).empty());
  EXPECT_TRUE(statementLocks("ALTER INDEX s.i RENAME TO j", RenameIndex{"t", "i", "j"}).empty());
  EXPECT_EQ(statementLocks("ALTER TABLE s.a RENAME TO b", RenameTable{"a", "b"}),
            (std::vector<RelationLock>{{"a", false, L::AccessExclusive}}));
  EXPECT_EQ(
      statementLocks("ALTER SEQUENCE s.a_seq RENAME TO b_seq", RenameSequence{"t", "id", "a_seq", "b_seq"}),
      (std::vector<RelationLock>{{"a_seq", true, L::AccessExclusive}}));
  EXPECT_EQ(statementLocks("DROP TABLE s.t", DropTable{table("t")}),
            (std::vector<RelationLock>{{"t", false, L::AccessExclusive}}));
  for (const char* free :
       {"UPDATE s.t SET c = 0 WHERE c IS NULL", "COMMENT ON TABLE s.t IS 'x'", "CREATE TABLE s.t (id bigint)",
        "CREATE SCHEMA s", "SELECT setval('s.q', 1)", "DO $felisc$ BEGIN END $felisc$"})
    EXPECT_TRUE(statementLocks(free, add_column).empty()) << free;
}

TEST(Hazards, TablesTheSameDirectionCreatedLockNothingOthersSee) {
  // A new table with a foreign key to an existing one: only the existing table's lock counts.
  model::Table v = table("v");
  v.columns.push_back(col("e_id", "bigint"));
  Plan p = planOf({AddTable{v}, AddConstraint{"v", foreignKey(), true}});
  ASSERT_EQ(p.up.size(), 2U);
  EXPECT_TRUE(p.up[0].hazards.empty()) << p.up[0].hazards.front().message;
  const Hazard* lock = find(p.up[1], HazardKind::LocksShareRowExclusive);
  ASSERT_NE(lock, nullptr);
  EXPECT_EQ(
      lock->message,
      "takes a SHARE ROW EXCLUSIVE lock on table e: writes wait (reads go on) until the transaction ends");
  // The downgrade drops the key first: ACCESS EXCLUSIVE on both tables, then the table.
  ASSERT_EQ(p.down.size(), 2U);
  EXPECT_EQ(
      find(p.down[0], HazardKind::LocksAccessExclusive)->message,
      "takes an ACCESS EXCLUSIVE lock on tables e and v: reads and writes wait until the transaction ends");
  EXPECT_TRUE(has(p.down[1], HazardKind::LocksAccessExclusive));
}

TEST(Hazards, ATableDroppedAndCreatedAgainUnderItsNameLocksTheOldOne) {
  model::Table old_t = table("t");
  model::Table new_t = table("t");
  new_t.columns.push_back(col("extra", "text"));
  Plan p = planOf({DropTable{old_t}, AddTable{new_t}});
  ASSERT_EQ(p.up.size(), 2U);
  EXPECT_TRUE(std::holds_alternative<DropTable>(p.up[0].change));
  EXPECT_TRUE(has(p.up[0], HazardKind::LocksAccessExclusive));
  EXPECT_TRUE(p.up[1].hazards.empty());
}

TEST(Hazards, EachDirectionGetsItsOwn) {
  Plan p = planOf({DropColumn{"t", col("value", "double precision"), 1}});
  ASSERT_EQ(p.up.size(), 1U);
  EXPECT_EQ(kinds(p.up[0]), (std::vector<HazardKind>{HazardKind::DeletesData, HazardKind::BreaksReaders,
                                                     HazardKind::LocksAccessExclusive}));
  EXPECT_EQ(kinds(p.down[0]),
            (std::vector<HazardKind>{HazardKind::Irreversible, HazardKind::LocksAccessExclusive}));
  EXPECT_EQ(find(p.down[0], HazardKind::Irreversible)->message,
            "re-adds column t.value without its values: the upgrade dropped them");

  // The reverse plan: the add is not irreversible, its downgrade deletes data.
  Plan q = planOf({AddColumn{"t", col("value", "double precision"), 1}});
  EXPECT_FALSE(has(q.up[0], HazardKind::Irreversible));
  EXPECT_TRUE(has(q.down[0], HazardKind::DeletesData));
  EXPECT_FALSE(has(q.down[0], HazardKind::Irreversible));

  // Narrowing: the downgrade widens again, but cut values stay cut.
  Plan n = planOf({AlterColumn{"t", col("value", "double precision"), col("value", "real"), kColumnType}});
  EXPECT_TRUE(has(n.up[0], HazardKind::NarrowsType));
  EXPECT_EQ(find(n.down[0], HazardKind::Irreversible)->message,
            "converts t.value back to double precision, but values the upgrade cut to real stay cut");
}

TEST(Hazards, RenamesBreakReadersExceptOutOfATemporaryName) {
  Plan swap = planOf({RenameColumn{"t", "a", "b"}, RenameColumn{"t", "b", "a"}});
  ASSERT_EQ(swap.up.size(), 3U);  // a -> tmp, b -> a, tmp -> b
  int breaking = 0;
  for (const auto& step : swap.up) breaking += has(step, HazardKind::BreaksReaders) ? 1 : 0;
  EXPECT_EQ(breaking, 2);
  Plan table_rename = planOf({RenameTable{"a", "b"}});
  EXPECT_EQ(find(table_rename.up[0], HazardKind::BreaksReaders)->message,
            "clients that name table a break: it becomes b (views follow the rename)");
  EXPECT_EQ(find(table_rename.up[0], HazardKind::LocksAccessExclusive)->message,
            "takes an ACCESS EXCLUSIVE lock on table a: reads and writes wait until the transaction ends");
}

TEST(Hazards, ATypeChangeInAKeptForeignKeyLocksTheOtherTableToo) {
  // cdb_latiss 01 -> 02: both ends of exposure_flexdata.key -> exposure_flexdata_schema.key become varchar.
  Constraint fk = foreignKey();
  ChangeSet set;
  set.old_schema = set.new_schema = "s";
  set.changes = {AlterColumn{"v", col("e_id", "integer"), col("e_id", "bigint"), kColumnType},
                 AlterColumn{"e", col("id", "integer"), col("id", "bigint"), kColumnType},
                 AlterColumn{"v", col("value", "integer"), col("value", "bigint"), kColumnType}};
  set.new_foreign_keys = {{"v", fk}};
  Plan p = plan(set);
  ASSERT_EQ(p.up.size(), 3U);
  for (std::size_t i = 0; i < 2; ++i)
    EXPECT_EQ(
        find(p.up[i], HazardKind::LocksAccessExclusive)->message,
        "takes an ACCESS EXCLUSIVE lock on tables e and v: reads and writes wait until the transaction ends");
  EXPECT_EQ(find(p.up[2], HazardKind::LocksAccessExclusive)->message,
            "takes an ACCESS EXCLUSIVE lock on table v: reads and writes wait until the transaction ends");
  EXPECT_EQ(find(p.down[2], HazardKind::LocksAccessExclusive)->message,
            find(p.up[0], HazardKind::LocksAccessExclusive)->message);
  // A key the plan re-creates around the change is gone while the type changes.
  set.changes.push_back(DropConstraint{"v", fk, false});
  set.changes.push_back(AddConstraint{"v", fk, false});
  EXPECT_TRUE(keptForeignKeys(set).empty());
}

TEST(Hazards, DroppedDefaultsAndUniqueChecks) {
  Column with = col("band", "character varying(8)");
  with.sql_default = "'r'::character varying";
  Column without = col("band", "character varying(8)");
  Plan p = planOf({AlterColumn{"t", with, without, kColumnDefault}});
  EXPECT_EQ(find(p.up[0], HazardKind::DeletesData)->message,
            "drops the default of t.band: writers that leave the column out now store NULL");
  EXPECT_FALSE(has(p.down[0], HazardKind::DeletesData));  // the downgrade sets it again
  EXPECT_FALSE(p.up[0].data_loss);                        // no stored value is lost

  model::Index unique;
  unique.name = "un_t_value";
  unique.unique = true;
  unique.elements = {{"value", false}};
  Plan u = planOf({AddIndex{"t", unique, false}});
  EXPECT_EQ(find(u.up[0], HazardKind::ValidatesRows)->message,
            "checks every row of t for duplicates of UNIQUE (value)");
  EXPECT_TRUE(has(u.up[0], HazardKind::LocksShare));
}

// ---- the golden cases show every kind and class ---------------------------------

TEST(HazardGoldens, EveryHazardKindShowsInSomeGoldenCase) {
  std::string all;
  for (const auto& name : testing::diffCases())
    all += testing::readFile(testing::diffFixturesDir() / name / "review.txt");
  for (auto kind :
       {HazardKind::DeletesData, HazardKind::NarrowsType, HazardKind::CastMayFail, HazardKind::RewritesTable,
        HazardKind::ValidatesRows, HazardKind::BuildsIndex, HazardKind::Backfill, HazardKind::BackfillMissing,
        HazardKind::TimezoneDependent, HazardKind::BreaksReaders, HazardKind::Irreversible,
        HazardKind::LocksAccessExclusive, HazardKind::LocksShareRowExclusive, HazardKind::LocksShare})
    EXPECT_NE(all.find("! " + std::string(hazardName(kind)) + ": "), std::string::npos) << hazardName(kind);
}

TEST(HazardGoldens, EachCompatibilityClassHasItsCase) {
  for (auto compatibility :
       {CompatibilityClass::None, CompatibilityClass::Compatible, CompatibilityClass::Backward,
        CompatibilityClass::Forward, CompatibilityClass::Breaking}) {
    std::string name = "compat_" + std::string(compatibilityName(compatibility));
    std::string review = testing::readFile(testing::diffFixturesDir() / name / "review.txt");
    EXPECT_NE(review.find("\ncompatibility: " + std::string(compatibilityTitle(compatibility)) + ","),
              std::string::npos)
        << name;
    std::string json = testing::readFile(testing::diffFixturesDir() / name / "up.json");
    EXPECT_NE(json.find("\"class\": \"" + std::string(compatibilityName(compatibility)) +
                        "\",\n    \"bump_needed\""),
              std::string::npos)
        << name;
  }
}

}  // namespace
}  // namespace felisc::diff
