/// \file
/// Resolution of a Felis model into the SQL facts a database built from it holds.
#include "schema_model/resolve.h"

#include <algorithm>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace felisc::model {

namespace {

/// PostgreSQL's NAMEDATALEN - 1: the longest identifier in bytes.
constexpr std::size_t kMaxIdentifierBytes = 63;

/// pg_mbcliplen() for UTF-8: the longest prefix of `text` of at most `limit`
/// bytes that does not end inside a character.
std::size_t utf8ClipLength(std::string_view text, std::size_t limit) {
  if (limit >= text.size()) return text.size();
  std::size_t length = limit;
  // Back off over continuation bytes (10xxxxxx) to the start of the cut character.
  while (length > 0 && (static_cast<unsigned char>(text[length]) & 0xC0) == 0x80) --length;
  return length;
}

bool isIntegerSqlType(std::string_view sql_type) {
  return sql_type == "smallint" || sql_type == "integer" || sql_type == "bigint";
}

bool isForeignKeyColumn(const Table& table, std::string_view column_name) {
  return std::any_of(table.constraints.begin(), table.constraints.end(), [&](const Constraint& constraint) {
    return constraint.kind == ConstraintKind::ForeignKey &&
           std::find(constraint.columns.begin(), constraint.columns.end(), column_name) !=
               constraint.columns.end();
  });
}

/// Felis's (SQLAlchemy's) autoincrement rule, felis-format.md §6.4, with one fix:
/// only integer columns become serial. felis would also make a float/double key
/// `SERIAL`, silently turning it into an integer; felisc leaves such a column as it
/// is (the validator reports `autoincrement: true` on it).
bool isSerial(const Table& table, const Column& column) {
  if (!table.primary_key || !isIntegerSqlType(column.sql_type)) return false;
  const auto& key_columns = table.primary_key->columns;
  if (std::find(key_columns.begin(), key_columns.end(), column.name) == key_columns.end()) return false;
  if (column.autoincrement) return *column.autoincrement;
  // "auto": only the sole column of a primary key, with no default and no foreign key.
  return key_columns.size() == 1 && !column.value && !isForeignKeyColumn(table, column.name);
}

/// The relation and constraint names taken in the schema so far, to choose names
/// as PostgreSQL's ChooseRelationName() does: `<name>_<label>`, else with 1, 2, ...
/// appended to the label until the name is free. Two serial columns can collide
/// (table `a_b` column `c` and table `a` column `b_c` both want `a_b_c_seq`), and
/// truncation makes collisions likelier for long names.
class NameRegistry {
 public:
  std::string choose(std::string_view name1, std::string_view name2, std::string_view label,
                     bool is_constraint) {
    for (int pass = 0;; ++pass) {
      const std::string modified_label =
          pass == 0 ? std::string(label) : std::string(label) + std::to_string(pass);
      std::string name = makeObjectName(name1, name2, modified_label);
      if (!relations_.contains(name) && !(is_constraint && constraints_.contains(name))) return name;
    }
  }
  void addRelation(const std::string& name) { relations_.insert(name); }
  void addConstraint(const std::string& name) { constraints_.insert(name); }

 private:
  std::set<std::string> relations_;
  std::set<std::string> constraints_;
};

/// Whether PostgreSQL folds two index constraints into one (transformIndexConstraints
/// in parse_utilcmd.c): the same columns in the same order, the same deferrability.
bool sameIndex(const std::vector<std::string>& columns, bool deferrable, bool initially_deferred,
               const Constraint& other) {
  return other.kind == ConstraintKind::Unique && other.columns == columns && other.deferrable == deferrable &&
         other.initially_deferred == initially_deferred;
}

/// The name the server gives an unnamed primary key: the name of the first unique
/// constraint folded into it, else `<table>_pkey` made unique in the schema.
std::string primaryKeyName(const Table& table, NameRegistry& names) {
  for (const Constraint& constraint : table.constraints)
    if (!table.primary_key->columns.empty() &&
        sameIndex(table.primary_key->columns, false, false, constraint))
      return constraint.name;
  return names.choose(table.name, "", "pkey", true);
}

void resolveColumns(Table& table, const Dialect& dialect, NameRegistry& names) {
  for (Column& column : table.columns) {
    column.sql_type = dialect.canonicalType(column);
    column.generation = isSerial(table, column) ? Generation::Serial : Generation::None;
    if (column.generation == Generation::Serial) {
      // The default is nextval() of the owned sequence; the serial type stands for it.
      column.sql_default.reset();
      column.sequence = names.choose(table.name, column.name, "seq", false);
      names.addRelation(column.sequence);
    } else {
      column.sql_default = dialect.canonicalDefault(column);
      column.sequence.clear();
    }
  }
}

/// Resolves one table, registering its names in the order the server creates them
/// for felisc's script: the serial sequences, the table and its check constraints,
/// the primary key's index, the unique constraints' indexes, then the indexes.
void resolveTable(Table& table, const Dialect& dialect, NameRegistry& names) {
  resolveColumns(table, dialect, names);
  names.addRelation(table.name);
  for (const Constraint& constraint : table.constraints)
    if (constraint.kind == ConstraintKind::Check) names.addConstraint(constraint.name);
  if (table.primary_key) {
    if (table.primary_key->name.empty()) table.primary_key->name = primaryKeyName(table, names);
    names.addRelation(table.primary_key->name);
    names.addConstraint(table.primary_key->name);
  }
  for (const Constraint& constraint : table.constraints) {
    if (constraint.kind != ConstraintKind::Unique || mergedIntoConstraint(table, constraint)) continue;
    names.addRelation(constraint.name);
    names.addConstraint(constraint.name);
  }
  for (const Index& index : table.indexes) names.addRelation(index.name);
}

}  // namespace

std::optional<std::string> mergedIntoConstraint(const Table& table, const Constraint& constraint) {
  if (constraint.kind != ConstraintKind::Unique || constraint.columns.empty() || constraint.stands_alone)
    return std::nullopt;
  // The server keeps the primary key first, then the first of identical others.
  if (table.primary_key && sameIndex(table.primary_key->columns, false, false, constraint)) {
    if (!table.primary_key->name.empty()) return table.primary_key->name;
    // Unresolved: the key will take the name of the first such constraint.
    for (const Constraint& first : table.constraints)
      if (sameIndex(table.primary_key->columns, false, false, first)) return first.name;
  }
  for (const Constraint& earlier : table.constraints) {
    if (&earlier == &constraint) break;
    if (sameIndex(constraint.columns, constraint.deferrable, constraint.initially_deferred, earlier) &&
        !mergedIntoConstraint(table, earlier))
      return earlier.name;
  }
  return std::nullopt;
}

std::optional<std::string> primaryKeyDescription(const Table& table) {
  if (!table.primary_key) return std::nullopt;
  if (table.primary_key->description) return table.primary_key->description;
  for (const Constraint& constraint : table.constraints) {
    auto merged = mergedIntoConstraint(table, constraint);
    if (merged && *merged == constraint.name && constraint.name == table.primary_key->name)
      return constraint.description;
  }
  return std::nullopt;
}

std::string makeObjectName(std::string_view name1, std::string_view name2, std::string_view label) {
  // src/backend/commands/indexcmds.c makeObjectName(): an empty name2 or label is
  // the C code's NULL (left out with its underscore).
  std::size_t overhead = 0;
  if (!name2.empty()) ++overhead;
  if (!label.empty()) overhead += label.size() + 1;
  const std::size_t available = kMaxIdentifierBytes > overhead ? kMaxIdentifierBytes - overhead : 0;
  std::size_t name1_bytes = name1.size();
  std::size_t name2_bytes = name2.size();
  // Truncate the longer name first (name2 on a tie), one byte at a time.
  while (name1_bytes + name2_bytes > available) {
    if (name1_bytes > name2_bytes)
      --name1_bytes;
    else
      --name2_bytes;
  }
  name1_bytes = utf8ClipLength(name1, name1_bytes);
  name2_bytes = utf8ClipLength(name2, name2_bytes);
  std::string name(name1.substr(0, name1_bytes));
  // Appended piece by piece: `"_" + std::string(...)` inlines to a memcpy GCC 12
  // at -O3 wrongly reports as overlapping (-Wrestrict, GCC bug 105329).
  if (!name2.empty()) {
    name += '_';
    name += name2.substr(0, name2_bytes);
  }
  if (!label.empty()) {
    name += '_';
    name += label;
  }
  return name;
}

void resolveSchema(Schema& schema, const Dialect& dialect) {
  NameRegistry names;
  for (Table& table : schema.tables) resolveTable(table, dialect, names);
}

}  // namespace felisc::model
