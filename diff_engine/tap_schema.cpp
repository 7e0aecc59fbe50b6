#include "diff_engine/tap_schema.h"

#include <algorithm>
#include <map>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace felisc::diff {

namespace {

using model::TapRow;
using model::TapTable;
using model::TapValue;

const model::Scalar* annotation(const std::vector<model::Annotation>& annotations, std::string_view key) {
  for (const model::Annotation& a : annotations)
    if (a.key == key) return &a.value;
  return nullptr;
}

/// A string annotation: absent or null -> NULL, otherwise its text ('' kept).
TapValue stringAnnotation(const std::vector<model::Annotation>& annotations, std::string_view key) {
  const model::Scalar* value = annotation(annotations, key);
  if (value == nullptr || value->kind == model::Scalar::Kind::Null) return std::nullopt;
  return value->text;
}

/// A 0/1 or integer annotation as decimal text; `fallback` when absent.
TapValue integerAnnotation(const std::vector<model::Annotation>& annotations, std::string_view key,
                           TapValue fallback) {
  const model::Scalar* value = annotation(annotations, key);
  if (value == nullptr) return fallback;
  if (value->kind == model::Scalar::Kind::Null) return std::nullopt;
  if (value->kind == model::Scalar::Kind::Boolean) return std::string(value->text == "true" ? "1" : "0");
  return value->text;
}

std::string qualified(const model::Schema& schema, const std::string& table) {
  // tap.py:463-476: always <felis schema name>.<table name>, never quoted.
  return schema.name + "." + table;
}

/// §3.3 arraysize: explicit values as given ('' -> NULL); otherwise the default
/// felis's before-validator derives from the datatype and `length`.
TapValue arraysizeOf(const model::Column& column, const TapOptions& options) {
  const model::Scalar* explicit_value = annotation(column.annotations, "votable:arraysize");
  if (explicit_value != nullptr && explicit_value->kind != model::Scalar::Kind::Null) {
    if (explicit_value->text.empty()) return std::nullopt;
    return explicit_value->text;
  }
  const bool long_enough = column.length && *column.length > 1;
  switch (column.datatype) {
    case model::FelisType::Char:
      if (long_enough) return std::to_string(*column.length);
      return std::nullopt;
    case model::FelisType::String:
    case model::FelisType::Unicode:
    case model::FelisType::Binary:
      if (!long_enough) return std::nullopt;
      if (options.force_unbounded_arraysize) return std::string("*");
      return std::to_string(*column.length) + "*";
    case model::FelisType::Text:
    case model::FelisType::Timestamp:
      // A stray length > 1 disables the '*' (felis only warns about it).
      if (long_enough) return std::nullopt;
      return std::string("*");
    default: return std::nullopt;
  }
}

TapValue xtypeOf(const model::Column& column) {
  const model::Scalar* value = annotation(column.annotations, "votable:xtype");
  if (value != nullptr && value->kind != model::Scalar::Kind::Null) return value->text;  // '' kept
  if (column.datatype == model::FelisType::Timestamp) return std::string("timestamp");
  return std::nullopt;
}

TapValue unitOf(const model::Column& column) {
  // tap.py:500: the first *truthy* of ivoa:unit and fits:tunit.
  for (std::string_view key : {"ivoa:unit", "fits:tunit"}) {
    const model::Scalar* value = annotation(column.annotations, key);
    if (value != nullptr && value->kind != model::Scalar::Kind::Null && !value->text.empty())
      return value->text;
  }
  return std::nullopt;
}

/// §3.3 indexed: a single-string primaryKey or a one-column index on the column.
bool isIndexed(const model::Table& table, const model::Column& column, bool scalar_primary_key) {
  if (scalar_primary_key && table.primary_key && table.primary_key->columns.size() == 1 &&
      table.primary_key->columns.front() == column.name)
    return true;
  return std::any_of(table.indexes.begin(), table.indexes.end(), [&](const model::Index& index) {
    return index.elements.size() == 1 && !index.elements.front().is_expression &&
           index.elements.front().text == column.name;
  });
}

TapValue text(const std::optional<std::string>& value) { return value; }

}  // namespace

std::string_view tapDatatype(model::FelisType type) {
  switch (type) {
    case model::FelisType::Boolean: return "boolean";
    case model::FelisType::Byte: return "unsignedByte";
    case model::FelisType::Short: return "short";
    case model::FelisType::Int: return "int";
    case model::FelisType::Long: return "long";
    case model::FelisType::Float: return "float";
    case model::FelisType::Double: return "double";
    case model::FelisType::Char: return "char";
    case model::FelisType::String: return "char";
    case model::FelisType::Unicode: return "unicodeChar";
    case model::FelisType::Text: return "char";
    case model::FelisType::Binary: return "unsignedByte";
    case model::FelisType::Timestamp: return "char";
  }
  return "char";
}

TapValue tapSizeOf(const TapValue& arraysize) {
  if (!arraysize || arraysize->empty()) return std::nullopt;
  std::string_view digits = *arraysize;
  if (digits.back() == '*') digits.remove_suffix(1);
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::to_string(std::stoll(std::string(digits)));
}

model::TapRows tapRowsOf(const model::Schema& schema, const model::TapSourceFacts& facts,
                         const TapOptions& options) {
  model::TapRows rows;
  // §3.1
  rows.schemas.push_back(
      TapRow{TapTable::Schemas,
             {schema.name, stringAnnotation(schema.annotations, "votable:utype"), text(schema.description),
              options.schema_index ? TapValue(std::to_string(*options.schema_index)) : TapValue()}});
  // The column_index of columnRefs copies under --column-ref-index-increment
  // (§3.7): N, 2N, ... per (table, resource), in columnRefs order; an
  // overridden copy keeps its own value and does not advance the counter.
  std::map<std::pair<std::string, std::string>, std::string> ref_index;
  if (options.column_ref_index_increment) {
    std::map<std::pair<std::string, std::string>, std::int64_t> counter;
    for (const model::TapSourceFacts::ColumnRef& ref : facts.column_refs) {
      if (ref.column_index_overridden) continue;
      std::int64_t& n = counter[{ref.table, ref.resource}];
      n += *options.column_ref_index_increment;
      ref_index[{ref.table, ref.column}] = std::to_string(n);
    }
  }
  // §3.2
  for (const model::Table& table : schema.tables) {
    rows.tables.push_back(
        TapRow{TapTable::Tables,
               {schema.name, qualified(schema, table.name), std::string("table"),
                stringAnnotation(table.annotations, "votable:utype"), text(table.description),
                // tap.py:487: absent -> 0, never NULL.
                integerAnnotation(table.annotations, "tap:table_index", std::string("0")).value_or("0")}});
  }
  // §3.3
  for (const model::Table& table : schema.tables) {
    const bool scalar_pk = facts.scalar_primary_key_tables.count(table.name) != 0;
    const std::string table_name = qualified(schema, table.name);
    for (const model::Column& column : table.columns) {
      TapValue arraysize = arraysizeOf(column, options);
      TapValue column_index = integerAnnotation(column.annotations, "tap:column_index", std::nullopt);
      if (auto found = ref_index.find({table.name, column.name}); found != ref_index.end())
        column_index = found->second;
      rows.columns.push_back(
          TapRow{TapTable::Columns,
                 {table_name, column.name, stringAnnotation(column.annotations, "votable:utype"),
                  stringAnnotation(column.annotations, "ivoa:ucd"), unitOf(column), text(column.description),
                  std::string(tapDatatype(column.datatype)), arraysize, xtypeOf(column), tapSizeOf(arraysize),
                  integerAnnotation(column.annotations, "tap:principal", std::string("0")),
                  std::string(isIndexed(table, column, scalar_pk) ? "1" : "0"),
                  integerAnnotation(column.annotations, "tap:std", std::string("0")), column_index}});
    }
  }
  // §3.4: foreign keys only, table by table, in constraint order.
  for (const model::Table& table : schema.tables) {
    for (const model::Constraint& constraint : table.constraints) {
      if (constraint.kind != model::ConstraintKind::ForeignKey) continue;
      model::TapKey key;
      std::string key_id = options.unique_keys ? schema.name + "_" + constraint.name : constraint.name;
      key.key =
          TapRow{TapTable::Keys,
                 {key_id, qualified(schema, table.name), qualified(schema, constraint.ref_table),
                  stringAnnotation(constraint.annotations, "votable:utype"), text(constraint.description)}};
      for (std::size_t i = 0; i < constraint.columns.size() && i < constraint.ref_columns.size(); ++i)
        key.columns.push_back(
            TapRow{TapTable::KeyColumns, {key_id, constraint.columns[i], constraint.ref_columns[i]}});
      rows.keys.push_back(std::move(key));
    }
  }
  return rows;
}

std::vector<std::string> duplicateTapKeyIds(const model::TapRows& rows) {
  std::map<std::string, int> count;
  for (const model::TapKey& key : rows.keys) ++count[key.key.identity()];
  std::vector<std::string> out;
  for (const auto& [id, n] : count)
    if (n > 1) out.push_back(id);
  return out;
}

TapChange TapChange::inverse() const {
  switch (kind) {
    case Kind::Insert: return TapChange{Kind::Delete, after, {}};
    case Kind::Delete: return TapChange{Kind::Insert, {}, before};
    case Kind::Update: return TapChange{Kind::Update, after, before};
  }
  return *this;
}

std::vector<std::string> changedTapColumns(const TapChange& change) {
  std::vector<std::string> names;
  if (change.kind != TapChange::Kind::Update) return names;
  std::span<const model::TapColumnSpec> specs = model::tapColumns(change.before.table);
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (change.before.values.at(i) != change.after.values.at(i)) names.emplace_back(specs[i].name);
  return names;
}

namespace {

/// The rows of one table in both states, matched by identity.
struct TableDiff {
  std::vector<TapRow> deleted;  ///< in `from` order
  std::vector<std::pair<TapRow, TapRow>> updated;
  std::vector<TapRow> inserted;  ///< in `to` order
};

TableDiff diffTable(const std::vector<const TapRow*>& from, const std::vector<const TapRow*>& to) {
  TableDiff out;
  std::unordered_map<std::string, const TapRow*> to_by_id;
  std::unordered_map<std::string, const TapRow*> from_by_id;
  for (const TapRow* row : to) to_by_id.emplace(row->identity(), row);
  for (const TapRow* row : from) from_by_id.emplace(row->identity(), row);
  for (const TapRow* row : from) {
    auto found = to_by_id.find(row->identity());
    if (found == to_by_id.end())
      out.deleted.push_back(*row);
    else if (!(*found->second == *row))
      out.updated.emplace_back(*row, *found->second);
  }
  for (const TapRow* row : to)
    if (!from_by_id.count(row->identity())) out.inserted.push_back(*row);
  return out;
}

std::vector<const TapRow*> pointers(const std::vector<TapRow>& rows) {
  std::vector<const TapRow*> out;
  out.reserve(rows.size());
  for (const TapRow& row : rows) out.push_back(&row);
  return out;
}

}  // namespace

std::vector<TapChange> diffTapRows(const model::TapRows& from, const model::TapRows& to) {
  using Kind = TapChange::Kind;
  // Keys whose tables change are replaced whole (see the header).
  std::unordered_map<std::string, const model::TapKey*> to_keys;
  for (const model::TapKey& key : to.keys) to_keys.emplace(key.key.identity(), &key);
  std::vector<const TapRow*> from_keys, to_key_rows, from_key_columns, to_key_columns;
  std::vector<TapRow> replaced_from, replaced_to;  // keys rows deleted and inserted again
  for (const model::TapKey& key : from.keys) {
    auto found = to_keys.find(key.key.identity());
    const bool moved =
        found != to_keys.end() && (found->second->key.get("from_table") != key.key.get("from_table") ||
                                   found->second->key.get("target_table") != key.key.get("target_table"));
    if (moved)
      replaced_from.push_back(key.key);
    else
      from_keys.push_back(&key.key);
  }
  std::unordered_map<std::string, bool> replaced_ids;
  for (const TapRow& row : replaced_from) replaced_ids[row.identity()] = true;
  for (const model::TapKey& key : to.keys) {
    if (replaced_ids.count(key.key.identity()))
      replaced_to.push_back(key.key);
    else
      to_key_rows.push_back(&key.key);
  }
  for (const model::TapKey& key : from.keys)
    for (const TapRow& row : key.columns) from_key_columns.push_back(&row);
  for (const model::TapKey& key : to.keys)
    for (const TapRow& row : key.columns) to_key_columns.push_back(&row);

  TableDiff schemas = diffTable(pointers(from.schemas), pointers(to.schemas));
  TableDiff tables = diffTable(pointers(from.tables), pointers(to.tables));
  TableDiff columns = diffTable(pointers(from.columns), pointers(to.columns));
  TableDiff keys = diffTable(from_keys, to_key_rows);
  // A replaced key's columns go out and come back with it, even those that stay.
  std::vector<const TapRow*> kept_from_kc, kept_to_kc;
  std::vector<TapRow> replaced_from_kc;
  for (const TapRow* row : from_key_columns) {
    if (replaced_ids.count(row->get("key_id").value_or("")))
      replaced_from_kc.push_back(*row);
    else
      kept_from_kc.push_back(row);
  }
  for (const TapRow* row : to_key_columns)
    if (!replaced_ids.count(row->get("key_id").value_or(""))) kept_to_kc.push_back(row);
  TableDiff key_columns = diffTable(kept_from_kc, kept_to_kc);
  key_columns.deleted.insert(key_columns.deleted.end(), replaced_from_kc.begin(), replaced_from_kc.end());
  keys.deleted.insert(keys.deleted.end(), replaced_from.begin(), replaced_from.end());

  std::vector<TapChange> changes;
  auto deleteAll = [&](const std::vector<TapRow>& rows) {
    for (auto row = rows.rbegin(); row != rows.rend(); ++row)
      changes.push_back(TapChange{Kind::Delete, *row, {}});
  };
  deleteAll(key_columns.deleted);
  deleteAll(keys.deleted);
  deleteAll(columns.deleted);
  deleteAll(tables.deleted);
  deleteAll(schemas.deleted);
  for (const TableDiff* diff : {&schemas, &tables, &columns, &keys})
    for (const auto& [before, after] : diff->updated)
      changes.push_back(TapChange{Kind::Update, before, after});
  for (const TableDiff* diff : {&schemas, &tables, &columns})
    for (const TapRow& row : diff->inserted) changes.push_back(TapChange{Kind::Insert, {}, row});
  // Keys in `to` order, each followed by its new columns (felis's order, §4.1).
  std::unordered_map<std::string, bool> inserted_keys;
  for (const TapRow& row : keys.inserted) inserted_keys[row.identity()] = true;
  for (const TapRow& row : replaced_to) inserted_keys[row.identity()] = true;
  std::unordered_map<std::string, std::vector<const TapRow*>> new_columns_of;
  std::unordered_map<std::string, bool> kept_to_kc_new;
  for (const TapRow& row : key_columns.inserted) kept_to_kc_new[row.identity()] = true;
  for (const TapRow* row : to_key_columns) {
    const std::string key_id = row->get("key_id").value_or("");
    if (replaced_ids.count(key_id) || kept_to_kc_new.count(row->identity()))
      new_columns_of[key_id].push_back(row);
  }
  for (const model::TapKey& key : to.keys) {
    const std::string id = key.key.identity();
    if (inserted_keys.count(id)) changes.push_back(TapChange{Kind::Insert, {}, key.key});
    for (const TapRow* row : new_columns_of[id]) changes.push_back(TapChange{Kind::Insert, {}, *row});
  }
  return changes;
}

std::vector<TapChange> inverseTapChanges(const std::vector<TapChange>& upgrade) {
  std::vector<TapChange> out;
  out.reserve(upgrade.size());
  for (auto change = upgrade.rbegin(); change != upgrade.rend(); ++change) out.push_back(change->inverse());
  return out;
}

}  // namespace felisc::diff
