/// \file
/// Resolution of a Felis model into the SQL facts a database built from it holds.
#include "schema_model/resolve.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

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

void resolveTable(Table& table, const Dialect& dialect) {
  if (table.primary_key && table.primary_key->name.empty())
    table.primary_key->name = makeObjectName(table.name, "", "pkey");
  for (Column& column : table.columns) {
    column.sql_type = dialect.canonicalType(column);
    column.generation = isSerial(table, column) ? Generation::Serial : Generation::None;
    if (column.generation == Generation::Serial) {
      // The default is nextval() of the owned sequence; the serial type stands for it.
      column.sql_default.reset();
      column.sequence = makeObjectName(table.name, column.name, "seq");
    } else {
      column.sql_default = dialect.canonicalDefault(column);
      column.sequence.clear();
    }
  }
}

}  // namespace

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
  if (!name2.empty()) name += "_" + std::string(name2.substr(0, name2_bytes));
  if (!label.empty()) name += "_" + std::string(label);
  return name;
}

void resolveSchema(Schema& schema, const Dialect& dialect) {
  for (Table& table : schema.tables) resolveTable(table, dialect);
}

}  // namespace felisc::model
