#include "emitters/felis_yaml.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <utility>

#include "schema_model/compare.h"
#include "schema_model/resolve.h"
#include "schema_model/type_mapping.h"

namespace felisc::emit {

namespace {

using model::Column;
using model::Constraint;
using model::ConstraintKind;
using model::FelisType;
using model::Index;
using model::Scalar;
using model::Schema;
using model::Table;

// --- the projection ------------------------------------------------------------------

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/// Felis strips white space from every string it reads.
std::optional<std::string> felisText(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  std::string_view view = *text;
  while (!view.empty() && isBlank(view.front())) view.remove_prefix(1);
  while (!view.empty() && isBlank(view.back())) view.remove_suffix(1);
  return std::string(view);
}

/// Hands out @ids that Felis's ID map (schema, tables, columns, constraints)
/// holds only once.
class IdAllocator {
 public:
  std::string take(const std::string& wanted) {
    std::string id = wanted;
    for (int n = 2; used_.contains(id); ++n) id = wanted + "_" + std::to_string(n);
    used_.insert(id);
    return id;
  }
  void reserve(const std::string& id) {
    if (!id.empty()) used_.insert(id);
  }

 private:
  std::set<std::string> used_;
};

bool isIntegerSqlType(std::string_view type) {
  return type == "smallint" || type == "integer" || type == "bigint";
}

bool isForeignKeyColumn(const Table& table, const std::string& column) {
  return std::any_of(table.constraints.begin(), table.constraints.end(), [&](const Constraint& constraint) {
    return constraint.kind == ConstraintKind::ForeignKey &&
           std::find(constraint.columns.begin(), constraint.columns.end(), column) !=
               constraint.columns.end();
  });
}

/// Felis's autoincrement key for `column` of the model, written into `projected`
/// (the projected table, constraints included), following the rule resolution
/// applies (resolve.cpp): `true` on a serial key column, `false` where the "auto"
/// rule would make a plain column serial, and what the model said otherwise.
std::optional<bool> felisAutoincrement(const Column& column, const Table& projected,
                                       const Column& projected_column) {
  if (!projected.primary_key) return column.autoincrement;
  const auto& key = projected.primary_key->columns;
  bool in_key = std::find(key.begin(), key.end(), column.name) != key.end();
  if (!in_key) return column.autoincrement;
  if (column.generation == model::Generation::Serial) return true;
  bool auto_rule = key.size() == 1 && isIntegerSqlType(column.sql_type) && !projected_column.value &&
                   !isForeignKeyColumn(projected, column.name);
  if (auto_rule) return false;
  return column.autoincrement;
}

Column projectColumn(const Column& column) {
  Column out;
  out.name = column.name;
  out.id = column.id;
  out.description = felisText(column.description);
  out.datatype = column.datatype;
  out.length = column.length;
  // bytea holds no length, but Felis requires one on binary: any length gives bytea.
  if (model::isSized(column.datatype) && !out.length) out.length = 1;
  if (column.datatype == FelisType::Timestamp) out.precision = column.precision;
  out.nullable = column.nullable;
  if (column.generation == model::Generation::None) out.value = column.value;
  out.postgresql_datatype = column.postgresql_datatype;
  out.mysql_datatype = column.mysql_datatype;
  out.annotations = column.annotations;
  return out;
}

Table projectTable(const Schema& schema, const Table& table) {
  Table out;
  out.name = table.name;
  out.id = table.id;
  out.description = felisText(table.description);
  out.annotations = table.annotations;
  out.column_groups = table.column_groups;
  out.columns.reserve(table.columns.size());
  for (const Column& column : table.columns) out.columns.push_back(projectColumn(column));
  if (table.primary_key && !table.primary_key->columns.empty()) {
    model::PrimaryKey key;
    key.columns = table.primary_key->columns;  // Felis never names it: resolution does
    out.primary_key = std::move(key);
  }
  for (const Constraint& constraint : table.constraints) {
    // Felis refers to columns by @id, so a foreign key can only point into its own schema.
    if (constraint.kind == ConstraintKind::ForeignKey &&
        ((!constraint.ref_schema.empty() && constraint.ref_schema != schema.name) ||
         schema.findTable(constraint.ref_table) == nullptr))
      continue;
    Constraint copy;
    copy.kind = constraint.kind;
    copy.name = constraint.name;
    copy.id = constraint.id;
    copy.description = felisText(constraint.description);
    copy.columns = constraint.columns;
    copy.ref_table = constraint.ref_table;
    copy.ref_columns = constraint.ref_columns;
    copy.on_delete = constraint.on_delete;
    copy.on_update = constraint.on_update;
    copy.expression = felisText(constraint.expression).value_or("");
    copy.deferrable = constraint.deferrable;
    copy.initially_deferred = constraint.deferrable && constraint.initially_deferred;
    copy.annotations = constraint.annotations;
    out.constraints.push_back(std::move(copy));
  }
  for (const Index& index : table.indexes) {
    Index copy;  // Felis indexes are plain: not unique, btree, no predicate
    copy.name = index.name;
    copy.id = index.id;
    copy.description = felisText(index.description);
    copy.elements = index.elements;
    copy.annotations = index.annotations;
    out.indexes.push_back(std::move(copy));
  }
  for (std::size_t i = 0; i < out.columns.size(); ++i)
    out.columns[i].autoincrement = felisAutoincrement(table.columns[i], out, out.columns[i]);
  return out;
}

/// Fills every empty @id the way Felis's ID generation does, keeping them unique.
void assignIds(Schema& schema) {
  IdAllocator ids;
  ids.reserve(schema.id);
  for (const Table& table : schema.tables) {
    ids.reserve(table.id);
    for (const Column& column : table.columns) ids.reserve(column.id);
    for (const Constraint& constraint : table.constraints) ids.reserve(constraint.id);
  }
  if (schema.id.empty()) schema.id = ids.take("#" + schema.name);
  for (Table& table : schema.tables) {
    if (table.id.empty()) table.id = ids.take("#" + table.name);
    for (Column& column : table.columns)
      if (column.id.empty()) column.id = ids.take("#" + table.name + "." + column.name);
    for (Constraint& constraint : table.constraints)
      if (constraint.id.empty()) constraint.id = ids.take("#" + table.name + "." + constraint.name);
    // Index @ids are outside Felis's ID map; they only need to be present.
    for (Index& index : table.indexes)
      if (index.id.empty()) index.id = "#" + table.name + "." + index.name;
    for (model::ColumnGroup& group : table.column_groups)
      if (group.id.empty()) group.id = "#" + table.name + "." + group.name;
  }
}

/// Felis never names a primary key, but PostgreSQL gives an unnamed key the name
/// of a unique constraint on exactly its columns in the same CREATE TABLE (the
/// cdb_* files rely on it: `un_exposure_ds`). So a key stored under another name
/// than resolution gives it is written as such a constraint, and resolved again.
/// Felis has no comment on a key either: `create` writes the description of the
/// unique folded into it (resolve.h primaryKeyDescription). So a key with a
/// comment is written as that unique too, under the key's own name and carrying
/// the comment, so that a round trip through the file keeps it.
void nameKeysAsStored(const Schema& schema, Schema& projection) {
  bool changed = false;
  for (std::size_t i = 0; i < projection.tables.size(); ++i) {
    const Table& source = schema.tables[i];
    Table& table = projection.tables[i];
    if (!source.primary_key || !table.primary_key) continue;
    const std::optional<std::string> comment = felisText(model::primaryKeyDescription(source));
    const bool renamed = source.primary_key->name != table.primary_key->name;
    if (!renamed && (!comment || felisText(model::primaryKeyDescription(table)) == comment)) continue;
    auto folded = std::find_if(table.constraints.begin(), table.constraints.end(),
                               [&](const Constraint& c) { return c.name == source.primary_key->name; });
    if (folded != table.constraints.end()) {
      // The name is taken: by the unique already folded into the key (it gets the
      // comment), or by another constraint (the key keeps the name resolution gives).
      if (renamed || folded->kind != ConstraintKind::Unique ||
          folded->columns != source.primary_key->columns || folded->description)
        continue;
      folded->description = comment;
      changed = true;
      continue;
    }
    Constraint unique;
    unique.kind = ConstraintKind::Unique;
    unique.name = source.primary_key->name;
    unique.columns = source.primary_key->columns;
    unique.description = comment;
    table.constraints.insert(table.constraints.begin(), std::move(unique));
    table.primary_key->name.clear();
    changed = true;
  }
  if (!changed) return;
  assignIds(projection);
  model::resolveSchema(projection, model::postgresDialect());
}

// --- YAML text ------------------------------------------------------------------------

bool isPlainWord(std::string_view text) {
  if (text.empty()) return false;
  char first = text.front();
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_')) return false;
  for (char c : text)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  // YAML 1.1 booleans and null, in every case PyYAML resolves (y/n stay strings
  // in PyYAML, but other readers take them as booleans).
  std::string lower(text);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  static const std::set<std::string, std::less<>> kReserved = {"yes", "no",   "true", "false", "on",
                                                               "off", "null", "y",    "n"};
  return !kReserved.contains(lower);
}

/// Decodes one UTF-8 sequence at `text[i]`; returns the code point and advances
/// `i`, or -1 for a malformed byte (then `i` moves by one).
long decodeUtf8(std::string_view text, std::size_t& i) {
  auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  std::size_t extra = 0;
  long code = 0;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    code = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    code = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    code = lead & 0x07;
  } else {
    ++i;
    return -1;
  }
  if (i + extra >= text.size()) {
    ++i;
    return -1;
  }
  for (std::size_t k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  i += extra + 1;
  return code;
}

std::string hexEscape(char prefix, long code, int digits) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out = "\\";
  out += prefix;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
    out += kHex[static_cast<std::size_t>((code >> shift) & 0xF)];
  return out;
}

std::string indentText(int level) { return std::string(static_cast<std::size_t>(level) * 2, ' '); }

class YamlWriter {
 public:
  std::string take() { return std::move(out_); }

  void line(int level, std::string_view text) {
    out_ += indentText(level);
    out_ += text;
    out_ += '\n';
  }
  void key(int level, std::string_view name, std::string_view value) {
    out_ += indentText(level);
    out_ += name;
    out_ += ": ";
    out_ += value;
    out_ += '\n';
  }
  /// `- name: value`: the first key of a list item.
  void item(int level, std::string_view name, std::string_view value) {
    out_ += indentText(level);
    out_ += "- ";
    out_ += name;
    out_ += ": ";
    out_ += value;
    out_ += '\n';
  }
  void list(int level, std::string_view name, const std::vector<std::string>& values) {
    if (values.empty()) {
      key(level, name, "[]");
      return;
    }
    line(level, std::string(name) + ":");
    for (const std::string& value : values) line(level, "- " + value);
  }

 private:
  std::string out_;
};

std::string scalarText(const Scalar& scalar) {
  switch (scalar.kind) {
    case Scalar::Kind::Null: return "null";
    case Scalar::Kind::String: return yamlQuoted(scalar.text);
    case Scalar::Kind::Integer: return scalar.text;
    case Scalar::Kind::Float: return yamlFloat(scalar.text);
    case Scalar::Kind::Boolean: return scalar.text == "true" ? "true" : "false";
  }
  return "null";
}

void writeAnnotations(YamlWriter& out, int level, const std::vector<model::Annotation>& annotations) {
  for (const model::Annotation& annotation : annotations)
    out.key(level, annotation.key, scalarText(annotation.value));
}

void writeDescription(YamlWriter& out, int level, const std::optional<std::string>& description) {
  if (description) out.key(level, "description", yamlQuoted(*description));
}

/// Column @ids of one table by column name.
using IdMap = std::map<std::string, std::string, std::less<>>;

std::vector<std::string> idsOf(const IdMap& ids, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  out.reserve(names.size());
  for (const std::string& name : names) {
    auto found = ids.find(name);
    out.push_back(yamlQuoted(found != ids.end() ? found->second : name));
  }
  return out;
}

void writeColumn(YamlWriter& out, const Column& column) {
  out.item(1, "name", yamlString(column.name));
  out.key(2, "\"@id\"", yamlQuoted(column.id));
  out.key(2, "datatype", model::felisTypeName(column.datatype));
  if (column.length) out.key(2, "length", std::to_string(*column.length));
  if (column.precision) out.key(2, "precision", std::to_string(*column.precision));
  if (!column.nullable) out.key(2, "nullable", "false");
  if (column.value) out.key(2, "value", scalarText(*column.value));
  if (column.autoincrement) out.key(2, "autoincrement", *column.autoincrement ? "true" : "false");
  if (column.postgresql_datatype) out.key(2, "postgresql:datatype", yamlQuoted(*column.postgresql_datatype));
  if (column.mysql_datatype) out.key(2, "mysql:datatype", yamlQuoted(*column.mysql_datatype));
  writeDescription(out, 2, column.description);
  writeAnnotations(out, 2, column.annotations);
}

std::string_view constraintType(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::Unique: return "Unique";
    case ConstraintKind::ForeignKey: return "ForeignKey";
    case ConstraintKind::Check: return "Check";
  }
  return "Unique";
}

void writeConstraint(YamlWriter& out, const Schema& schema, const IdMap& ids, const Constraint& constraint) {
  out.item(1, "name", yamlString(constraint.name));
  out.key(2, "\"@id\"", yamlQuoted(constraint.id));
  out.key(2, "\"@type\"", constraintType(constraint.kind));
  writeDescription(out, 2, constraint.description);
  if (constraint.kind == ConstraintKind::Check) {
    out.key(2, "expression", yamlQuoted(constraint.expression));
  } else {
    out.list(2, "columns", idsOf(ids, constraint.columns));
  }
  if (constraint.kind == ConstraintKind::ForeignKey) {
    IdMap referenced;
    if (const Table* target = schema.findTable(constraint.ref_table))
      for (const Column& column : target->columns) referenced.emplace(column.name, column.id);
    out.list(2, "referencedColumns", idsOf(referenced, constraint.ref_columns));
    if (constraint.on_delete != model::FkAction::NoAction)
      out.key(2, "on_delete", model::fkActionSql(constraint.on_delete));
    if (constraint.on_update != model::FkAction::NoAction)
      out.key(2, "on_update", model::fkActionSql(constraint.on_update));
  }
  if (constraint.deferrable) {
    out.key(2, "deferrable", "true");
    if (constraint.initially_deferred) out.key(2, "initially", "DEFERRED");
  }
  writeAnnotations(out, 2, constraint.annotations);
}

void writeIndex(YamlWriter& out, const IdMap& ids, const Index& index) {
  out.item(1, "name", yamlString(index.name));
  out.key(2, "\"@id\"", yamlQuoted(index.id));
  writeDescription(out, 2, index.description);
  bool any_expression = std::any_of(index.elements.begin(), index.elements.end(),
                                    [](const model::IndexElement& element) { return element.is_expression; });
  if (!any_expression) {
    std::vector<std::string> names;
    for (const model::IndexElement& element : index.elements) names.push_back(element.text);
    out.list(2, "columns", idsOf(ids, names));
  } else {
    // Felis takes columns or expressions, not both: a column becomes its quoted
    // name, which PostgreSQL stores as a plain column key again.
    std::vector<std::string> expressions;
    for (const model::IndexElement& element : index.elements)
      expressions.push_back(
          yamlQuoted(element.is_expression ? element.text : model::postgresQuoteIdentifier(element.text)));
    out.list(2, "expressions", expressions);
  }
  writeAnnotations(out, 2, index.annotations);
}

void writeTable(YamlWriter& out, const Schema& schema, const Table& table) {
  IdMap ids;
  for (const Column& column : table.columns) ids.emplace(column.name, column.id);
  out.item(0, "name", yamlString(table.name));
  out.key(1, "\"@id\"", yamlQuoted(table.id));
  writeDescription(out, 1, table.description);
  writeAnnotations(out, 1, table.annotations);
  if (table.primary_key) out.list(1, "primaryKey", idsOf(ids, table.primary_key->columns));
  if (table.columns.empty()) out.key(1, "columns", "[]");
  if (!table.columns.empty()) out.line(1, "columns:");
  for (const Column& column : table.columns) writeColumn(out, column);
  if (!table.column_groups.empty()) out.line(1, "columnGroups:");
  for (const model::ColumnGroup& group : table.column_groups) {
    out.item(1, "name", yamlString(group.name));
    out.key(2, "\"@id\"", yamlQuoted(group.id));
    writeDescription(out, 2, group.description);
    out.list(2, "columns", idsOf(ids, group.columns));
    writeAnnotations(out, 2, group.annotations);
  }
  if (!table.constraints.empty()) out.line(1, "constraints:");
  for (const Constraint& constraint : table.constraints) writeConstraint(out, schema, ids, constraint);
  if (!table.indexes.empty()) out.line(1, "indexes:");
  for (const Index& index : table.indexes) writeIndex(out, ids, index);
}

void writeSchema(YamlWriter& out, const Schema& schema) {
  out.line(0, "---");
  out.key(0, "name", yamlString(schema.name));
  out.key(0, "\"@id\"", yamlQuoted(schema.id));
  writeDescription(out, 0, schema.description);
  if (schema.version) {
    const model::SchemaVersion& version = *schema.version;
    if (!version.is_mapping) {
      out.key(0, "version", yamlQuoted(version.current));
    } else {
      out.line(0, "version:");
      out.key(1, "current", yamlQuoted(version.current));
      std::vector<std::string> compatible;
      for (const std::string& v : version.compatible) compatible.push_back(yamlQuoted(v));
      std::vector<std::string> read_compatible;
      for (const std::string& v : version.read_compatible) read_compatible.push_back(yamlQuoted(v));
      if (!compatible.empty()) out.list(1, "compatible", compatible);
      if (!read_compatible.empty()) out.list(1, "read_compatible", read_compatible);
    }
  }
  writeAnnotations(out, 0, schema.annotations);
  if (schema.tables.empty()) {
    out.key(0, "tables", "[]");
    return;
  }
  out.line(0, "tables:");
  for (const Table& table : schema.tables) writeTable(out, schema, table);
}

/// Constraint names Felis wants unique in the whole schema (PostgreSQL: per table).
void reportRepeatedConstraintNames(const Schema& schema, model::Diagnostics& diagnostics) {
  std::map<std::string, int> seen;
  for (const Table& table : schema.tables)
    for (const Constraint& constraint : table.constraints) ++seen[constraint.name];
  for (const auto& [name, count] : seen)
    if (count > 1)
      diagnostics.report(model::DiagId::warn_not_expressible_in_felis, "", {},
                         {"constraint " + name + ": the name is used on " + std::to_string(count) +
                          " tables, which Felis rejects (felisc validate reports it)"});
}

}  // namespace

std::string yamlQuoted(std::string_view text) {
  std::string out = "\"";
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
      ++i;
      continue;
    }
    std::size_t start = i;
    long code = decodeUtf8(text, i);
    if (code < 0) {
      out += hexEscape('x', static_cast<unsigned char>(text[start]), 2);
    } else if (code == '\n') {
      out += "\\n";
    } else if (code == '\t') {
      out += "\\t";
    } else if (code == '\r') {
      out += "\\r";
    } else if (code < 0x20 || code == 0x7F || (code >= 0x80 && code < 0xA0)) {
      out += hexEscape('x', code, 2);
    } else if (code == 0x2028 || code == 0x2029 || code == 0xFEFF || code == 0xFFFE || code == 0xFFFF ||
               (code >= 0xD800 && code < 0xE000)) {
      out += hexEscape('u', code, 4);
    } else {
      out.append(text.substr(start, i - start));
    }
  }
  out += '"';
  return out;
}

std::string yamlString(std::string_view text) {
  return isPlainWord(text) ? std::string(text) : yamlQuoted(text);
}

std::string yamlFloat(std::string_view python_repr) {
  if (python_repr == "inf") return ".inf";
  if (python_repr == "-inf") return "-.inf";
  if (python_repr == "nan") return ".nan";
  std::string text(python_repr);
  std::size_t e = text.find_first_of("eE");
  std::string mantissa = text.substr(0, e);
  std::string exponent = e == std::string::npos ? "" : text.substr(e + 1);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  if (e == std::string::npos) return mantissa;
  if (!exponent.empty() && exponent.front() != '+' && exponent.front() != '-') exponent.insert(0, "+");
  return mantissa + "e" + exponent;
}

Schema felisProjection(const Schema& schema) {
  Schema out;
  out.name = schema.name;
  out.id = schema.id;
  out.description = felisText(schema.description);
  out.version = schema.version;
  out.annotations = schema.annotations;
  out.tables.reserve(schema.tables.size());
  for (const Table& table : schema.tables) out.tables.push_back(projectTable(schema, table));
  assignIds(out);
  model::resolveSchema(out, model::postgresDialect());
  nameKeysAsStored(schema, out);
  return out;
}

std::string felisYaml(const Schema& schema, model::Diagnostics& diagnostics) {
  Schema projection = felisProjection(schema);
  for (const std::string& difference : model::compareSchemas(schema, projection))
    diagnostics.report(model::DiagId::warn_not_expressible_in_felis, "", {}, {difference});
  for (const model::View& view : schema.views)
    diagnostics.report(model::DiagId::warn_not_expressible_in_felis, "", {},
                       {std::string(view.materialized ? "materialized view " : "view ") + view.name +
                        ": Felis has no views"});
  reportRepeatedConstraintNames(projection, diagnostics);
  YamlWriter out;
  writeSchema(out, projection);
  return out.take();
}

}  // namespace felisc::emit
