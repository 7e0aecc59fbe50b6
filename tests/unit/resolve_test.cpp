// Resolution: SQL types and defaults, Felis's autoincrement rule, and the names
// PostgreSQL gives primary keys and serial sequences. The long and multibyte names
// below are what PostgreSQL 15.18 actually named (tests/pg checks them live too).
#include "schema_model/resolve.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace felisc::model {
namespace {

Column makeColumn(std::string name, FelisType type) {
  Column column;
  column.name = std::move(name);
  column.datatype = type;
  return column;
}

Table makeTable(std::string name, std::vector<Column> columns, std::vector<std::string> key) {
  Table table;
  table.name = std::move(name);
  table.columns = std::move(columns);
  if (!key.empty()) table.primary_key = PrimaryKey{"", std::move(key), {}};
  return table;
}

Schema schemaOf(std::vector<Table> tables) {
  Schema schema;
  schema.name = "s";
  schema.tables = std::move(tables);
  return schema;
}

/// Resolves a one-table schema and returns the table.
Table resolved(Table table) {
  Schema schema = schemaOf({std::move(table)});
  resolveSchema(schema, postgresDialect());
  return schema.tables.front();
}

std::string repeat(std::string_view text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += text;
  return out;
}

// ---------------------------------------------------------------------------
// SQL facts.

TEST(Resolve, FillsTypesAndDefaults) {
  Column name = makeColumn("name", FelisType::String);
  name.length = 32;
  name.value = Scalar{Scalar::Kind::String, "x"};
  Column when = makeColumn("taken", FelisType::Timestamp);
  when.precision = 6;
  when.value = Scalar{Scalar::Kind::String, "CURRENT_TIMESTAMP"};
  Column count = makeColumn("count", FelisType::Int);
  count.value = Scalar{Scalar::Kind::Integer, "-1"};
  Table table = resolved(makeTable("t", {name, when, count}, {}));
  EXPECT_EQ(table.columns[0].sql_type, "character varying(32)");
  EXPECT_EQ(table.columns[0].sql_default, "'x'::character varying");
  EXPECT_EQ(table.columns[1].sql_type, "timestamp(6) without time zone");
  EXPECT_EQ(table.columns[1].sql_default, "CURRENT_TIMESTAMP");
  EXPECT_EQ(table.columns[2].sql_type, "integer");
  EXPECT_EQ(table.columns[2].sql_default, "'-1'::integer");
  for (const Column& column : table.columns) {
    EXPECT_EQ(column.generation, Generation::None);
    EXPECT_EQ(column.sequence, "");
  }
  EXPECT_FALSE(table.primary_key.has_value());
}

TEST(Resolve, PrimaryKeyAndSequenceNames) {
  Table table =
      resolved(makeTable("exposure", {makeColumn("exposure_id", FelisType::Long)}, {"exposure_id"}));
  ASSERT_TRUE(table.primary_key.has_value());
  EXPECT_EQ(table.primary_key->name, "exposure_pkey");
  EXPECT_EQ(table.columns[0].generation, Generation::Serial);
  EXPECT_EQ(table.columns[0].sequence, "exposure_exposure_id_seq");
  EXPECT_EQ(table.columns[0].sql_type, "bigint");
  EXPECT_EQ(table.columns[0].sql_default, std::nullopt);  // nextval() of the sequence, implied by serial
}

TEST(Resolve, KeepsAPrimaryKeyNameAlreadyThere) {
  Table table = makeTable("t", {makeColumn("id", FelisType::Int)}, {"id"});
  table.primary_key->name = "custom_pk";
  EXPECT_EQ(resolved(table).primary_key->name, "custom_pk");
}

TEST(Resolve, IsIdempotent) {
  Column value = makeColumn("v", FelisType::Double);
  value.value = Scalar{Scalar::Kind::Float, "1.5"};
  Schema schema = schemaOf({makeTable("a_b", {makeColumn("c", FelisType::Int), value}, {"c"}),
                            makeTable("a", {makeColumn("b_c", FelisType::Int)}, {"b_c"})});
  resolveSchema(schema, postgresDialect());
  const Schema once = schema;
  resolveSchema(schema, postgresDialect());
  ASSERT_EQ(schema.tables.size(), once.tables.size());
  for (std::size_t t = 0; t < schema.tables.size(); ++t) {
    EXPECT_EQ(schema.tables[t].primary_key, once.tables[t].primary_key);
    for (std::size_t c = 0; c < schema.tables[t].columns.size(); ++c) {
      const Column& now = schema.tables[t].columns[c];
      const Column& before = once.tables[t].columns[c];
      EXPECT_EQ(now.sql_type, before.sql_type);
      EXPECT_EQ(now.sql_default, before.sql_default);
      EXPECT_EQ(now.generation, before.generation);
      EXPECT_EQ(now.sequence, before.sequence);
    }
  }
  EXPECT_EQ(schema.tables[1].columns[0].sequence, "a_b_c_seq1");
}

// ---------------------------------------------------------------------------
// Felis's autoincrement rule (felis-format.md §6.4), integer columns only.

struct SerialCase {
  const char* what;
  FelisType type;
  std::optional<std::string> override_type;
  std::optional<bool> autoincrement;
  bool has_value;
  bool foreign_key;
  bool expected;
};

TEST(ResolveSerial, SingleColumnKey) {
  const std::vector<SerialCase> cases = {
      {"long, auto", FelisType::Long, {}, {}, false, false, true},
      {"int, auto", FelisType::Int, {}, {}, false, false, true},
      {"short, auto", FelisType::Short, {}, {}, false, false, true},
      {"byte, auto", FelisType::Byte, {}, {}, false, false, true},
      {"long, true", FelisType::Long, {}, true, false, false, true},
      {"long, false", FelisType::Long, {}, false, false, false, false},
      {"long with a value", FelisType::Long, {}, {}, true, false, false},
      {"long that is a foreign key", FelisType::Long, {}, {}, false, true, false},
      {"long that is a foreign key, true", FelisType::Long, {}, true, false, true, true},
      {"string, auto", FelisType::String, {}, {}, false, false, false},
      {"string, true", FelisType::String, {}, true, false, false, false},
      // felis would make these SERIAL and change their type; felisc does not.
      {"double, auto", FelisType::Double, {}, {}, false, false, false},
      {"float, true", FelisType::Float, {}, true, false, false, false},
      // The override decides: an int stored as bigint is bigserial; a double stored
      // as bigint is an integer column, so serial too.
      {"int as BIGINT", FelisType::Int, "BIGINT", {}, false, false, true},
      {"double as BIGINT", FelisType::Double, "BIGINT", {}, false, false, true},
      {"int as NUMERIC", FelisType::Int, "NUMERIC(10)", {}, false, false, false},
  };
  for (const SerialCase& test : cases) {
    Column key = makeColumn("id", test.type);
    key.length = 10;
    key.postgresql_datatype = test.override_type;
    key.autoincrement = test.autoincrement;
    if (test.has_value) key.value = Scalar{Scalar::Kind::Integer, "0"};
    Table table = makeTable("t", {key}, {"id"});
    if (test.foreign_key) {
      Constraint fk;
      fk.kind = ConstraintKind::ForeignKey;
      fk.name = "fk";
      fk.columns = {"id"};
      fk.ref_table = "other";
      fk.ref_columns = {"id"};
      table.constraints.push_back(fk);
    }
    const Column column = resolved(table).columns[0];  // a copy: the table is a temporary
    EXPECT_EQ(column.generation == Generation::Serial, test.expected) << test.what;
    EXPECT_EQ(column.sequence.empty(), !test.expected) << test.what;
  }
}

TEST(ResolveSerial, MultiColumnKeyOnlyTheMarkedColumn) {
  Column a = makeColumn("a", FelisType::Long);
  Column b = makeColumn("b", FelisType::Long);
  Table unmarked = resolved(makeTable("t", {a, b}, {"a", "b"}));
  EXPECT_EQ(unmarked.columns[0].generation, Generation::None);
  EXPECT_EQ(unmarked.columns[1].generation, Generation::None);
  b.autoincrement = true;
  Table marked = resolved(makeTable("t", {a, b}, {"a", "b"}));
  EXPECT_EQ(marked.columns[0].generation, Generation::None);
  EXPECT_EQ(marked.columns[1].generation, Generation::Serial);
  EXPECT_EQ(marked.columns[1].sequence, "t_b_seq");
  EXPECT_EQ(marked.primary_key->name, "t_pkey");
}

TEST(ResolveSerial, ColumnsOutsideTheKeyAreNeverSerial) {
  Column id = makeColumn("id", FelisType::Long);
  id.autoincrement = false;
  Column counter = makeColumn("counter", FelisType::Long);
  counter.autoincrement = true;
  Table table = resolved(makeTable("t", {id, counter}, {"id"}));
  EXPECT_EQ(table.columns[0].generation, Generation::None);
  EXPECT_EQ(table.columns[1].generation, Generation::None);
  Table keyless = resolved(makeTable("u", {counter}, {}));
  EXPECT_EQ(keyless.columns[0].generation, Generation::None);
}

// ---------------------------------------------------------------------------
// makeObjectName: names PostgreSQL 15.18 gave these tables' keys and sequences.

TEST(MakeObjectName, ShortNames) {
  EXPECT_EQ(makeObjectName("t", "id", "seq"), "t_id_seq");
  EXPECT_EQ(makeObjectName("t", "", "pkey"), "t_pkey");
  EXPECT_EQ(makeObjectName("DiaObject", "diaObjectId", "seq"), "DiaObject_diaObjectId_seq");
}

TEST(MakeObjectName, TruncatesTheLongerNameFirst) {
  const std::string t61 = "t" + repeat("x", 60);
  EXPECT_EQ(makeObjectName(t61, "id", "seq"), "t" + repeat("x", 55) + "_id_seq");
  EXPECT_EQ(makeObjectName(t61, "", "pkey"), "t" + repeat("x", 57) + "_pkey");
  EXPECT_EQ(makeObjectName(repeat("t", 63), repeat("c", 63), "seq"),
            repeat("t", 29) + "_" + repeat("c", 29) + "_seq");
  EXPECT_EQ(makeObjectName(repeat("t", 63), "", "pkey"), repeat("t", 58) + "_pkey");
  EXPECT_EQ(makeObjectName("short", repeat("c", 63), "seq"), "short_" + repeat("c", 53) + "_seq");
  EXPECT_EQ(makeObjectName(repeat("t", 58), "", "pkey"), repeat("t", 58) + "_pkey");  // exactly 63 bytes
  EXPECT_EQ(makeObjectName(repeat("t", 58), "", "pkey1"), repeat("t", 57) + "_pkey1");
  EXPECT_EQ(makeObjectName(repeat("t", 58), "id", "seq"), repeat("t", 56) + "_id_seq");
}

TEST(MakeObjectName, NeverCutsInsideAUtf8Character) {
  const std::string e_acute = "\xC3\xA9";   // é, 2 bytes
  const std::string u_uml = "\xC3\xBC";     // ü, 2 bytes
  const std::string euro = "\xE2\x82\xAC";  // €, 3 bytes
  EXPECT_EQ(makeObjectName(repeat(e_acute, 31), "id", "seq"), repeat(e_acute, 28) + "_id_seq");
  EXPECT_EQ(makeObjectName(repeat(e_acute, 31), "", "pkey"), repeat(e_acute, 29) + "_pkey");
  EXPECT_EQ(makeObjectName("tab", repeat(e_acute, 31), "seq"), "tab_" + repeat(e_acute, 27) + "_seq");
  EXPECT_EQ(makeObjectName(repeat(e_acute, 30) + "x", repeat(u_uml, 30) + "y", "seq"),
            repeat(e_acute, 14) + "_" + repeat(u_uml, 14) + "_seq");
  EXPECT_EQ(makeObjectName(repeat(e_acute, 30) + "x", "", "pkey1"), repeat(e_acute, 28) + "_pkey1");
  EXPECT_EQ(makeObjectName("ab" + repeat(euro, 20), "cd" + repeat(euro, 20), "seq"),
            "ab" + repeat(euro, 9) + "_cd" + repeat(euro, 9) + "_seq");
  EXPECT_EQ(makeObjectName("ab" + repeat(euro, 20), "", "pkey"), "ab" + repeat(euro, 18) + "_pkey");
}

// ---------------------------------------------------------------------------
// Collisions: the server appends 1, 2, ... to the label (ChooseRelationName).

TEST(ResolveNames, CollidingSequenceNamesGetADigit) {
  Schema schema = schemaOf({makeTable("a_b", {makeColumn("c", FelisType::Int)}, {"c"}),
                            makeTable("a", {makeColumn("b_c", FelisType::Int)}, {"b_c"})});
  resolveSchema(schema, postgresDialect());
  EXPECT_EQ(schema.tables[0].columns[0].sequence, "a_b_c_seq");
  EXPECT_EQ(schema.tables[1].columns[0].sequence, "a_b_c_seq1");
  EXPECT_EQ(schema.tables[0].primary_key->name, "a_b_pkey");
  EXPECT_EQ(schema.tables[1].primary_key->name, "a_pkey");
}

TEST(ResolveNames, TruncatedNamesCollideAsOnTheServer) {
  // PostgreSQL 15.18 named these, created in this order, exactly so.
  std::vector<Table> tables = {
      makeTable(repeat("t", 63), {makeColumn(repeat("c", 63), FelisType::Long)}, {})};
  tables[0].primary_key = PrimaryKey{"", {repeat("c", 63)}, {}};
  for (int length : {58, 57, 56})
    tables.push_back(makeTable(repeat("t", length), {makeColumn("id", FelisType::Long)}, {"id"}));
  Schema schema = schemaOf(tables);
  resolveSchema(schema, postgresDialect());
  EXPECT_EQ(schema.tables[0].primary_key->name, repeat("t", 58) + "_pkey");
  EXPECT_EQ(schema.tables[1].primary_key->name, repeat("t", 57) + "_pkey1");
  EXPECT_EQ(schema.tables[2].primary_key->name, repeat("t", 57) + "_pkey");
  EXPECT_EQ(schema.tables[3].primary_key->name, repeat("t", 56) + "_pkey");
  EXPECT_EQ(schema.tables[0].columns[0].sequence, repeat("t", 29) + "_" + repeat("c", 29) + "_seq");
  EXPECT_EQ(schema.tables[1].columns[0].sequence, repeat("t", 56) + "_id_seq");
  EXPECT_EQ(schema.tables[2].columns[0].sequence, repeat("t", 55) + "_id_seq1");
  EXPECT_EQ(schema.tables[3].columns[0].sequence, repeat("t", 55) + "_id_seq2");
}

TEST(ResolveNames, ATableOrIndexNameTakesTheKeyName) {
  Table index_owner = makeTable("x", {makeColumn("v", FelisType::Int)}, {});
  Index index;
  index.name = "t_pkey";
  index.elements = {{"v", false}};
  index_owner.indexes.push_back(index);
  Schema schema = schemaOf({index_owner, makeTable("t", {makeColumn("id", FelisType::Int)}, {"id"})});
  resolveSchema(schema, postgresDialect());
  EXPECT_EQ(schema.tables[1].primary_key->name, "t_pkey1");
}

// ---------------------------------------------------------------------------
// Unique constraints PostgreSQL folds into the key or into an identical one
// (measured on PostgreSQL 15.18: an unnamed key takes the unique constraint's name).

Constraint unique(std::string name, std::vector<std::string> columns, bool deferrable = false) {
  Constraint constraint;
  constraint.kind = ConstraintKind::Unique;
  constraint.name = std::move(name);
  constraint.columns = std::move(columns);
  constraint.deferrable = deferrable;
  return constraint;
}

TEST(ResolveMerged, KeyTakesTheNameOfAUniqueConstraintOnItsColumns) {
  Table table =
      makeTable("exposure", {makeColumn("day_obs", FelisType::Int), makeColumn("seq_num", FelisType::Int)},
                {"day_obs", "seq_num"});
  table.constraints = {unique("un_ba", {"seq_num", "day_obs"}), unique("un_ds", {"day_obs", "seq_num"}),
                       unique("un_ds_twin", {"day_obs", "seq_num"}),
                       unique("un_ds_deferrable", {"day_obs", "seq_num"}, true)};
  EXPECT_EQ(mergedIntoConstraint(table, table.constraints[1]), "un_ds");  // unresolved: the first twin's name
  const Table done = resolved(table);
  EXPECT_EQ(done.primary_key->name, "un_ds");
  EXPECT_EQ(mergedIntoConstraint(done, done.constraints[0]), std::nullopt);  // another column order
  EXPECT_EQ(mergedIntoConstraint(done, done.constraints[1]), "un_ds");       // the key now has its name
  EXPECT_EQ(mergedIntoConstraint(done, done.constraints[2]), "un_ds");
  EXPECT_EQ(mergedIntoConstraint(done, done.constraints[3]), std::nullopt);  // deferrable: its own index
}

TEST(ResolveMerged, IdenticalUniqueConstraintsFoldIntoTheFirst) {
  Table table = makeTable("t", {makeColumn("a", FelisType::Int), makeColumn("b", FelisType::Int)}, {});
  table.constraints = {unique("u1", {"a"}), unique("u2", {"a"}),       unique("u3", {"a", "b"}),
                       unique("u4", {"a"}), unique("u5", {"a"}, true), unique("u6", {"a"}, true),
                       unique("empty", {})};
  EXPECT_EQ(mergedIntoConstraint(table, table.constraints[0]), std::nullopt);
  EXPECT_EQ(mergedIntoConstraint(table, table.constraints[1]), "u1");
  EXPECT_EQ(mergedIntoConstraint(table, table.constraints[2]), std::nullopt);
  EXPECT_EQ(mergedIntoConstraint(table, table.constraints[3]), "u1");
  EXPECT_EQ(mergedIntoConstraint(table, table.constraints[4]), std::nullopt);
  EXPECT_EQ(mergedIntoConstraint(table, table.constraints[5]), "u5");
  EXPECT_EQ(mergedIntoConstraint(table, table.constraints[6]), std::nullopt);
}

TEST(ResolveMerged, OtherKindsNeverFold) {
  Table table = makeTable("t", {makeColumn("a", FelisType::Int)}, {"a"});
  Constraint fk;
  fk.kind = ConstraintKind::ForeignKey;
  fk.name = "fk";
  fk.columns = {"a"};
  table.constraints = {fk};
  EXPECT_EQ(mergedIntoConstraint(table, table.constraints[0]), std::nullopt);
  EXPECT_EQ(resolved(table).primary_key->name, "t_pkey");
}

TEST(ResolveMerged, AFoldedNameIsNotTakenInTheSchema) {
  // u2 never exists in the database, so an unnamed key elsewhere may be called so.
  Table first = makeTable("t", {makeColumn("a", FelisType::Int)}, {});
  first.constraints = {unique("u1", {"a"}), unique("u_pkey", {"a"})};
  Schema schema = schemaOf({first, makeTable("u", {makeColumn("id", FelisType::Int)}, {"id"})});
  resolveSchema(schema, postgresDialect());
  EXPECT_EQ(schema.tables[1].primary_key->name, "u_pkey");
}

}  // namespace
}  // namespace felisc::model
