// Compatibility classes (diff_engine/compatibility.h): the rule of each change
// kind, how a migration combines them, the version bump they need, and the
// check of version.current with its diagnostics.
#include "diff_engine/compatibility.h"

#include <gtest/gtest.h>

#include "diff_engine/planner.h"

namespace felisc::diff {
namespace {

using model::Column;
using model::Constraint;
using model::ConstraintKind;
using model::Generation;
using CC = CompatibilityClass;

Column col(const std::string& name, const std::string& sql_type, bool nullable = true,
           std::optional<std::string> sql_default = {}) {
  Column c;
  c.name = name;
  c.sql_type = sql_type;
  c.nullable = nullable;
  c.sql_default = std::move(sql_default);
  return c;
}

AlterColumn alter(Column from, Column to, std::uint8_t kinds) {
  return {"t", std::move(from), std::move(to), kinds};
}

Constraint constraint(ConstraintKind kind) {
  Constraint c;
  c.kind = kind;
  c.name = "k";
  c.columns = {"a"};
  if (kind == ConstraintKind::ForeignKey) {
    c.ref_table = "r";
    c.ref_columns = {"id"};
  }
  if (kind == ConstraintKind::Check) c.expression = "a > 0";
  return c;
}

model::Index index(bool unique) {
  model::Index i;
  i.name = "i";
  i.unique = unique;
  i.elements = {{"a", false}};
  return i;
}

CC classOf(const Change& change) { return classifyChange(change).compatibility; }

TEST(Compatibility, TablesAndSchemas) {
  model::Table table;
  table.name = "t";
  EXPECT_EQ(classOf(AddTable{table}), CC::Backward);
  EXPECT_EQ(classOf(DropTable{table}), CC::Forward);
  EXPECT_EQ(classOf(RenameTable{"a", "b"}), CC::Breaking);
  EXPECT_EQ(classOf(CreateSchema{"s"}), CC::Backward);
  EXPECT_EQ(classOf(DropSchema{"s"}), CC::Forward);
}

TEST(Compatibility, ColumnsAddedAndDropped) {
  EXPECT_EQ(classOf(AddColumn{"t", col("c", "integer"), 0}), CC::Backward);
  EXPECT_EQ(classOf(AddColumn{"t", col("c", "integer", false, "0"), 0}), CC::Backward);
  EXPECT_EQ(classOf(AddColumn{"t", col("c", "integer", false), 0}), CC::Breaking);
  Column serial = col("c", "integer", false);
  serial.generation = Generation::Serial;
  EXPECT_EQ(classOf(AddColumn{"t", serial, 0}), CC::Backward);
  EXPECT_EQ(classOf(DropColumn{"t", col("c", "integer"), 0}), CC::Forward);
  EXPECT_EQ(classOf(DropColumn{"t", col("c", "integer", false), 0}), CC::Breaking);
  EXPECT_EQ(classOf(RenameColumn{"t", "a", "b"}), CC::Breaking);
}

TEST(Compatibility, TypeChangesFollowWhatFits) {
  auto type = [](const std::string& from, const std::string& to) {
    return classOf(alter(col("c", from), col("c", to), kColumnType));
  };
  EXPECT_EQ(type("integer", "bigint"), CC::Backward);
  EXPECT_EQ(type("bigint", "integer"), CC::Forward);
  EXPECT_EQ(type("character varying(8)", "character varying(16)"), CC::Backward);
  EXPECT_EQ(type("character varying(16)", "character varying(8)"), CC::Forward);
  EXPECT_EQ(type("character varying(8)", "text"), CC::Backward);
  EXPECT_EQ(type("timestamp(3) without time zone", "timestamp(6) without time zone"), CC::Backward);
  // Between kinds of types readers see other values: cdb_latiss 07 -> 08 made vignette a string.
  EXPECT_EQ(type("integer", "character varying(10)"), CC::Breaking);
  EXPECT_EQ(type("integer", "text"), CC::Breaking);
  EXPECT_EQ(type("timestamp without time zone", "timestamp with time zone"), CC::Breaking);
  EXPECT_EQ(type("character(8)", "character varying(8)"), CC::Breaking);
  EXPECT_EQ(type("spoint", "spoly"), CC::Breaking);
  EXPECT_EQ(type("integer", "double precision"), CC::Backward);
  EXPECT_EQ(type("double precision", "real"), CC::Forward);
}

TEST(Compatibility, NullabilityDefaultsAndGeneration) {
  EXPECT_EQ(classOf(alter(col("c", "integer"), col("c", "integer", false), kColumnNullability)), CC::Forward);
  EXPECT_EQ(classOf(alter(col("c", "integer", false), col("c", "integer"), kColumnNullability)),
            CC::Backward);
  EXPECT_EQ(classOf(alter(col("c", "integer"), col("c", "integer", true, "0"), kColumnDefault)),
            CC::Backward);
  EXPECT_EQ(classOf(alter(col("c", "integer", true, "0"), col("c", "integer"), kColumnDefault)), CC::Forward);
  EXPECT_EQ(classOf(alter(col("c", "integer", true, "0"), col("c", "integer", true, "1"), kColumnDefault)),
            CC::Breaking);
  Column plain = col("c", "integer", false);
  Column serial = plain;
  serial.generation = Generation::Serial;
  Column always = plain;
  always.generation = Generation::IdentityAlways;
  Column by_default = plain;
  by_default.generation = Generation::IdentityByDefault;
  EXPECT_EQ(classOf(alter(plain, serial, kColumnGeneration)), CC::Backward);
  EXPECT_EQ(classOf(alter(serial, plain, kColumnGeneration)), CC::Forward);
  EXPECT_EQ(classOf(alter(plain, always, kColumnGeneration)), CC::Breaking);
  EXPECT_EQ(classOf(alter(by_default, always, kColumnGeneration)), CC::Forward);
  EXPECT_EQ(classOf(alter(always, by_default, kColumnGeneration)), CC::Compatible);
  EXPECT_EQ(classOf(alter(serial, by_default, kColumnGeneration)), CC::Compatible);
  // Several facts at once: each must hold (widened and SET NOT NULL: neither way).
  EXPECT_EQ(classOf(alter(col("c", "integer"), col("c", "bigint", false), kColumnType | kColumnNullability)),
            CC::Breaking);
  ChangeCompatibility two =
      classifyChange(alter(col("c", "integer"), col("c", "bigint", false), kColumnType | kColumnNullability));
  EXPECT_NE(two.reason.find("widens"), std::string::npos) << two.reason;
  EXPECT_NE(two.reason.find("SET NOT NULL"), std::string::npos) << two.reason;
}

TEST(Compatibility, ConstraintsKeysAndIndexes) {
  for (auto kind : {ConstraintKind::Unique, ConstraintKind::Check, ConstraintKind::ForeignKey}) {
    EXPECT_EQ(classOf(AddConstraint{"t", constraint(kind), false}), CC::Forward);
    EXPECT_EQ(classOf(DropConstraint{"t", constraint(kind), false}), CC::Backward);
    // On a table the plan creates or drops: as the table.
    EXPECT_EQ(classOf(AddConstraint{"t", constraint(kind), true}), CC::Backward);
    EXPECT_EQ(classOf(DropConstraint{"t", constraint(kind), true}), CC::Forward);
  }
  EXPECT_EQ(classOf(AddPrimaryKey{"t", {"t_pkey", {"a"}, {}}}), CC::Forward);
  EXPECT_EQ(classOf(DropPrimaryKey{"t", {"t_pkey", {"a"}, {}}}), CC::Backward);
  EXPECT_EQ(classOf(AddIndex{"t", index(false), false}), CC::Compatible);
  EXPECT_EQ(classOf(DropIndex{"t", index(false), false}), CC::Compatible);
  EXPECT_EQ(classOf(AddIndex{"t", index(true), false}), CC::Forward);
  EXPECT_EQ(classOf(DropIndex{"t", index(true), false}), CC::Backward);
  EXPECT_EQ(classOf(RenameConstraint{"t", "a", "b", true}), CC::Compatible);
  EXPECT_EQ(classOf(RenameIndex{"t", "a", "b"}), CC::Compatible);
  EXPECT_EQ(classOf(RenameSequence{"t", "c", "a", "b"}), CC::Compatible);
  EXPECT_EQ(classOf(SetComment{ObjectKind::Table, "t", "", std::nullopt, "text"}), CC::None);
}

/// Every change's class is the mirror image of its inverse's: the downgrade of a
/// backward-compatible upgrade is forward compatible, and so on.
TEST(Compatibility, AnInverseSwapsTheDirections) {
  model::Table table;
  table.name = "t";
  std::vector<Change> changes = {
      AddTable{table},
      AddColumn{"t", col("c", "integer"), 0},
      AddColumn{"t", col("c", "integer", false), 0},
      alter(col("c", "integer"), col("c", "bigint"), kColumnType),
      alter(col("c", "integer"), col("c", "integer", false), kColumnNullability),
      alter(col("c", "integer"), col("c", "integer", true, "0"), kColumnDefault),
      AddConstraint{"t", constraint(ConstraintKind::Check), false},
      AddIndex{"t", index(true), false},
      AddIndex{"t", index(false), false},
      RenameColumn{"t", "a", "b"},
      SetComment{ObjectKind::Column, "t", "c", "a", "b"},
  };
  auto mirror = [](CC c) {
    if (c == CC::Backward) return CC::Forward;
    if (c == CC::Forward) return CC::Backward;
    return c;
  };
  for (const auto& change : changes)
    EXPECT_EQ(classOf(inverse(change)), mirror(classOf(change))) << describe(change);
}

Step step(Change change) {
  Step s;
  s.change = std::move(change);
  return s;
}

TEST(Compatibility, AMigrationHoldsADirectionOnlyIfEveryChangeDoes) {
  model::Table table;
  table.name = "t";
  const Step comment = step(SetComment{ObjectKind::Table, "t", "", std::nullopt, "text"});
  const Step add_index = step(AddIndex{"t", index(false), false});
  const Step add_column = step(AddColumn{"t", col("c", "integer"), 0});
  const Step drop_column = step(DropColumn{"t", col("d", "integer"), 0});

  EXPECT_EQ(classifyMigration({}).compatibility, CC::None);
  EXPECT_EQ(classifyMigration({comment}).bump_needed, VersionBump::None);
  EXPECT_EQ(classifyMigration({comment, add_index}).compatibility, CC::Compatible);
  EXPECT_EQ(classifyMigration({comment, add_index}).bump_needed, VersionBump::Patch);
  EXPECT_EQ(classifyMigration({add_index, add_column}).compatibility, CC::Backward);
  EXPECT_EQ(classifyMigration({add_index, add_column}).bump_needed, VersionBump::Minor);
  EXPECT_EQ(classifyMigration({drop_column}).compatibility, CC::Forward);
  EXPECT_EQ(classifyMigration({drop_column}).bump_needed, VersionBump::Minor);
  // A column moved to another table (cdb_latiss 21 -> 22): old code misses it
  // where it was, new code misses it where it goes.
  MigrationCompatibility moved = classifyMigration({drop_column, comment, add_column});
  EXPECT_EQ(moved.compatibility, CC::Breaking);
  EXPECT_EQ(moved.bump_needed, VersionBump::Major);
  EXPECT_EQ(moved.breaks_old_code, std::vector<std::size_t>{0});
  EXPECT_EQ(moved.breaks_new_code, std::vector<std::size_t>{2});
}

TEST(Compatibility, BumpsFollowRubinsRule) {
  EXPECT_EQ(bumpNeeded(CC::None), VersionBump::None);
  EXPECT_EQ(bumpNeeded(CC::Compatible), VersionBump::Patch);
  EXPECT_EQ(bumpNeeded(CC::Backward), VersionBump::Minor);
  EXPECT_EQ(bumpNeeded(CC::Forward), VersionBump::Minor);
  EXPECT_EQ(bumpNeeded(CC::Breaking), VersionBump::Major);
  EXPECT_EQ(compatibilityName(CC::Backward), "backward");
  EXPECT_EQ(bumpName(VersionBump::Minor), "minor");
}

TEST(Compatibility, VersionsParseAsOneToThreeNumbers) {
  EXPECT_EQ(parseVersion("3.4.1"), (std::vector<long long>{3, 4, 1}));
  EXPECT_EQ(parseVersion("3.4"), (std::vector<long long>{3, 4, 0}));
  EXPECT_EQ(parseVersion("10"), (std::vector<long long>{10, 0, 0}));
  for (const char* bad : {"", "v3.4.1", "3.4.1-rc1", "3..1", "3.4.", ".3", "1.2.3.4", "-1.0.0", " 1.0.0",
                          "99999999999999999999.0.0", "latest"})
    EXPECT_FALSE(parseVersion(bad).has_value()) << bad;
}

Plan planWith(std::vector<Step> up, std::optional<std::string> from, std::optional<std::string> to) {
  Plan plan;
  plan.old_label = "old.yaml";
  plan.new_label = "new.yaml";
  plan.up = std::move(up);
  plan.down = plan.up;
  if (from) plan.old_version = model::SchemaVersion{*from, {}, {}, true};
  if (to) plan.new_version = model::SchemaVersion{*to, {}, {}, true};
  return plan;
}

TEST(Compatibility, TheVersionCheckComparesTheBumpMadeWithTheBumpNeeded) {
  const Step add_column = step(AddColumn{"t", col("c", "integer"), 0});  // minor
  using V = VersionCheck::Verdict;
  EXPECT_EQ(checkVersionBump(planWith({add_column}, "1.0.0", "1.1.0")).verdict, V::Ok);
  EXPECT_EQ(checkVersionBump(planWith({add_column}, "1.0.0", "2.0.0")).verdict, V::Ok);
  EXPECT_EQ(checkVersionBump(planWith({add_column}, "1.9.3", "1.10")).verdict, V::Ok);  // numbers, not text
  VersionCheck small = checkVersionBump(planWith({add_column}, "1.0.0", "1.0.1"));
  EXPECT_EQ(small.verdict, V::TooSmall);
  EXPECT_EQ(small.made, VersionBump::Patch);
  EXPECT_EQ(small.needed, VersionBump::Minor);
  EXPECT_EQ(checkVersionBump(planWith({add_column}, "1.0.0", "1.0.0")).verdict, V::TooSmall);
  EXPECT_EQ(checkVersionBump(planWith({add_column}, "2.0.0", "1.5.0")).verdict, V::GoesDown);
  VersionCheck words = checkVersionBump(planWith({add_column}, "1.0.0", "next"));
  EXPECT_EQ(words.verdict, V::NotChecked);
  EXPECT_EQ(words.why_not_checked, "'next' is not MAJOR.MINOR.PATCH numbers");
  VersionCheck missing = checkVersionBump(planWith({add_column}, std::nullopt, "1.0.0"));
  EXPECT_EQ(missing.verdict, V::NotChecked);
  EXPECT_EQ(missing.why_not_checked, "old.yaml has no version");
  // Nothing to check against an empty plan: no bump is needed.
  EXPECT_EQ(checkVersionBump(planWith({}, "1.0.0", "1.0.0")).verdict, V::Ok);
}

TEST(Compatibility, VersionDiagnosticsWarnOrFailUnderStrict) {
  const Step add_column = step(AddColumn{"t", col("c", "integer"), 0});
  Plan small = planWith({add_column}, "1.0.0", "1.0.1");
  model::Diagnostics warning = versionDiagnostics(small, checkVersionBump(small), false);
  ASSERT_EQ(warning.all().size(), 1U);
  EXPECT_EQ(warning.all()[0].severity, model::Severity::Warning);
  EXPECT_EQ(model::renderDiagnostic(warning.all()[0]),
            "new.yaml: warning: the changes are backward compatible (old code works on the new schema) and "
            "need a minor version bump, but version.current goes from '1.0.0' to '1.0.1' (a patch bump) "
            "[FEL640]\n");
  model::Diagnostics error = versionDiagnostics(small, checkVersionBump(small), true);
  ASSERT_EQ(error.all().size(), 1U);
  EXPECT_TRUE(error.hasErrors());

  Plan down = planWith({add_column}, "2.0.0", "1.0.0");
  model::Diagnostics goes_down = versionDiagnostics(down, checkVersionBump(down), true);
  ASSERT_EQ(goes_down.all().size(), 1U);
  EXPECT_EQ(goes_down.all()[0].code(), "FEL641");
  EXPECT_TRUE(goes_down.hasErrors());

  Plan words = planWith({add_column}, "v1", "v2");
  model::Diagnostics not_numbers = versionDiagnostics(words, checkVersionBump(words), true);
  ASSERT_EQ(not_numbers.all().size(), 2U);  // both sides say so; never an error
  EXPECT_FALSE(not_numbers.hasErrors());
  EXPECT_EQ(model::renderDiagnostic(not_numbers.all()[1]),
            "new.yaml: warning: version 'v2' of new.yaml is not MAJOR.MINOR.PATCH numbers; the version bump "
            "is not checked [FEL642]\n");

  Plan none = planWith({add_column}, std::nullopt, std::nullopt);
  model::Diagnostics notes = versionDiagnostics(none, checkVersionBump(none), true);
  ASSERT_EQ(notes.all().size(), 2U);
  EXPECT_EQ(notes.all()[0].severity, model::Severity::Note);
  EXPECT_EQ(notes.errorCount() + notes.warningCount(), 0U);

  Plan ok = planWith({add_column}, "1.0.0", "1.1.0");
  EXPECT_TRUE(versionDiagnostics(ok, checkVersionBump(ok), true).empty());
  Plan empty = planWith({}, std::nullopt, std::nullopt);
  EXPECT_TRUE(versionDiagnostics(empty, checkVersionBump(empty), true).empty());
}

}  // namespace
}  // namespace felisc::diff
