/// \file
/// Stage 2 of the Felis reader: the rules of felis-format.md §5, the checks
/// felis lacks, and resolution of @id references. See felis_reader.cpp for the
/// list of places where felisc deliberately differs from felis.
#include "compiler/felis/validator.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compiler/felis/ids.h"
#include "schema_model/resolve.h"

namespace felisc::felis {

using model::DiagId;
using model::Severity;
using model::SourcePos;

// ---------------------------------------------------------------------------
// Site map and diagnostics buffer
// ---------------------------------------------------------------------------

model::SourcePos ObjectSite::at(std::string_view key) const {
  for (const auto& [name, key_pos] : keys)
    if (name == key) return key_pos;
  return pos;
}

bool ObjectSite::has(std::string_view key) const {
  return std::any_of(keys.begin(), keys.end(), [&](const auto& entry) { return entry.first == key; });
}

void DiagnosticBuffer::report(model::DiagId id, model::SourcePos pos,
                              std::initializer_list<std::string_view> args) {
  report(id, model::diagInfo(id).severity, pos, args);
}

void DiagnosticBuffer::report(model::DiagId id, model::Severity severity, model::SourcePos pos,
                              std::initializer_list<std::string_view> args) {
  std::vector<std::string> copied(args.begin(), args.end());
  pending_.push_back(Pending{id, severity, pos, std::move(copied), pending_.size()});
  if (severity == Severity::Error) ++errors_;
}

void DiagnosticBuffer::note(model::DiagId id, model::SourcePos pos,
                            std::initializer_list<std::string_view> args) {
  std::size_t group = pending_.empty() ? 0 : pending_.back().group;
  std::vector<std::string> copied(args.begin(), args.end());
  pending_.push_back(Pending{id, model::diagInfo(id).severity, pos, std::move(copied), group});
}

void DiagnosticBuffer::flushTo(model::Diagnostics& diagnostics) {
  // Sort groups by the position of their primary diagnostic; unknown positions
  // (line 0) first; report order breaks ties; notes follow their primary.
  auto key = [&](const Pending& p) {
    const Pending& primary = pending_[p.group];
    return std::make_tuple(primary.pos.line, primary.pos.column, p.group, &p - pending_.data());
  };
  std::vector<const Pending*> order;
  order.reserve(pending_.size());
  for (const Pending& p : pending_) order.push_back(&p);
  std::stable_sort(order.begin(), order.end(),
                   [&](const Pending* a, const Pending* b) { return key(*a) < key(*b); });
  for (const Pending* p : order) {
    const auto& a = p->args;
    auto arg = [&](std::size_t i) { return i < a.size() ? std::string_view(a[i]) : std::string_view(); };
    // Diagnostics::report takes an initializer list; no message has more than 5 arguments.
    diagnostics.report(p->id, p->severity, file_, p->pos, {arg(0), arg(1), arg(2), arg(3), arg(4)});
  }
  pending_.clear();
  errors_ = 0;
}

std::size_t editDistance(std::string_view a, std::string_view b, std::size_t limit) {
  const std::size_t length_gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (length_gap > limit) return limit + 1;
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    std::size_t row_min = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
      row_min = std::min(row_min, row[j]);
    }
    if (row_min > limit) return limit + 1;
  }
  return std::min(row[b.size()], limit + 1);
}

namespace {

constexpr std::size_t kMaxIdentifierBytes = 63;

std::string qualified(const model::Table& table, std::string_view name) {
  std::string out = table.name;
  out += '.';
  out += name;
  return out;
}

const model::Annotation* findAnnotation(const std::vector<model::Annotation>& annotations,
                                        std::string_view key) {
  for (const model::Annotation& annotation : annotations)
    if (annotation.key == key) return &annotation;
  return nullptr;
}

// --- --check-redundant-datatypes ------------------------------------------------

/// The type SQLAlchemy compiles for a Felis datatype (felis-format.md §4).
/// `n` is the column's length in parentheses ("(64)"), empty for none.
std::string defaultCompiledType(model::FelisType type, const std::string& n, bool mysql) {
  using T = model::FelisType;
  switch (type) {
    case T::Boolean: return mysql ? "BOOL" : "BOOLEAN";
    case T::Byte: return mysql ? "TINYINT" : "SMALLINT";
    case T::Short: return "SMALLINT";
    case T::Int: return "INTEGER";
    case T::Long: return "BIGINT";
    case T::Float: return "FLOAT";
    case T::Double: return mysql ? "DOUBLE" : "DOUBLE PRECISION";
    case T::Char: return "CHAR" + n;
    case T::String: return "VARCHAR" + n;
    case T::Unicode: return mysql ? "NATIONAL VARCHAR" + n : "VARCHAR" + n;
    case T::Text: return mysql ? "LONGTEXT" : "TEXT";
    case T::Binary: return mysql ? "LONGBLOB" : "BYTEA";
    case T::Timestamp: return mysql ? "DATETIME" : "TIMESTAMP WITHOUT TIME ZONE";
  }
  return {};
}

/// An override compiled the way felis's redundancy check builds it: the name
/// upper-cased, every parameter kept, the column length filled in for types
/// that take one. Approximates SQLAlchemy's compiler for the common types.
std::string overrideCompiledType(std::string_view text, std::optional<std::int64_t> length, bool mysql) {
  std::string name;
  std::string params;
  std::size_t open = text.find('(');
  std::string_view head = text.substr(0, open);
  for (char c : head)
    if (c != ' ') name += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  if (open != std::string_view::npos) {
    std::size_t close = text.find(')', open);
    std::string_view inside =
        text.substr(open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1);
    std::size_t start = 0;
    while (start <= inside.size()) {
      std::size_t comma = inside.find(',', start);
      std::string_view item =
          inside.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!params.empty()) params += ", ";
      params += item;
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  const bool takes_length = name == "CHAR" || name == "VARCHAR" || name == "NCHAR" || name == "NVARCHAR" ||
                            name == "BINARY" || name == "VARBINARY";
  if (params.empty() && takes_length && length) params = std::to_string(*length);
  std::string suffix = params.empty() ? "" : "(" + params + ")";
  if (!mysql && name == "DOUBLE_PRECISION") return "DOUBLE PRECISION" + suffix;
  if (!mysql && name == "TIMESTAMP") return "TIMESTAMP" + suffix + " WITHOUT TIME ZONE";
  if (mysql && name == "BOOLEAN") return "BOOL";
  return name + suffix;
}

// ---------------------------------------------------------------------------
// The validator
// ---------------------------------------------------------------------------

class Validator {
 public:
  Validator(model::Schema& schema, const SchemaSite& site, const ReadOptions& options,
            DiagnosticBuffer& diagnostics)
      : schema_(schema), site_(site), options_(options), diag_(diagnostics) {}

  void run();

 private:
  void checkTableNames();
  void checkColumns(std::size_t t);
  void checkColumn(const model::Table& table, const model::Column& column, const ColumnSite& site);
  void checkValue(const model::Table& table, const model::Column& column, const ColumnSite& site);
  void checkRedundantDatatypes(const model::Column& column, const ColumnSite& site);
  void resolvePrimaryKey(std::size_t t);
  void resolveConstraints(std::size_t t);
  void resolveIndexes(std::size_t t);
  void resolveGroups(std::size_t t);
  void checkConstraintNames();
  void checkIndexNames();
  void checkIdentifierLengths();
  void checkRelationNamespace();
  void checkDescriptions();
  void checkTapTableIndexes();
  void checkTapPrincipal();

  /// Resolves a reference to a column of table `t`; reports and returns nullptr
  /// when it does not name one. `what` describes the referrer for messages.
  const model::Column* columnInTable(std::size_t t, const IdRef& ref, const std::string& what);
  /// Resolves a reference to a column of any table; sets `table`.
  const model::Column* anyColumn(const IdRef& ref, std::size_t& table);
  void checkRepeated(const std::vector<std::string>& names, const std::vector<IdRef>& refs,
                     const std::string& what);
  void tooLong(std::string_view kind, const std::string& name, SourcePos pos);

  model::Schema& schema_;
  const SchemaSite& site_;
  const ReadOptions& options_;
  DiagnosticBuffer& diag_;
  IdMap ids_;
  std::unordered_map<std::string_view, std::size_t> column_names_;
};

void Validator::run() {
  checkTableNames();
  for (std::size_t t = 0; t < schema_.tables.size(); ++t) checkColumns(t);
  ids_.build(schema_, site_, diag_);
  // The reference vectors of the model are filled here, from the site map.
  for (std::size_t t = 0; t < schema_.tables.size(); ++t) {
    resolvePrimaryKey(t);
    resolveConstraints(t);
    resolveIndexes(t);
    resolveGroups(t);
  }
  checkConstraintNames();
  checkIndexNames();
  checkIdentifierLengths();
  checkRelationNamespace();
  if (options_.checks.description) checkDescriptions();
  if (options_.checks.tap_table_indexes) checkTapTableIndexes();
  if (options_.checks.tap_principal) checkTapPrincipal();
}

void Validator::checkTableNames() {
  std::unordered_map<std::string_view, std::size_t> seen;
  seen.reserve(schema_.tables.size());
  for (std::size_t t = 0; t < schema_.tables.size(); ++t) {
    if (!site_.tables[t].has_name) continue;
    auto [it, inserted] = seen.try_emplace(schema_.tables[t].name, t);
    if (inserted) continue;
    diag_.report(DiagId::err_duplicate_table, site_.tables[t].at("name"), {schema_.tables[t].name});
    diag_.note(DiagId::note_previous_definition, site_.tables[it->second].at("name"));
  }
}

void Validator::checkColumns(std::size_t t) {
  const model::Table& table = schema_.tables[t];
  const TableSite& site = site_.tables[t];
  // One map for every table: clear() keeps its buckets.
  std::unordered_map<std::string_view, std::size_t>& seen = column_names_;
  seen.clear();
  seen.reserve(table.columns.size());
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    const model::Column& column = table.columns[c];
    const ColumnSite& column_site = site.columns[c];
    if (column_site.has_name) {
      auto [it, inserted] = seen.try_emplace(column.name, c);
      if (!inserted) {
        if (column_site.from_column_ref) {
          diag_.report(DiagId::err_column_ref_collision, column_site.pos, {column.name, table.name});
        } else {
          diag_.report(DiagId::err_duplicate_column, column_site.at("name"), {table.name, column.name});
        }
        diag_.note(DiagId::note_previous_definition, site.columns[it->second].at("name"));
      }
    }
    checkColumn(table, column, column_site);
  }
}

void Validator::checkColumn(const model::Table& table, const model::Column& column, const ColumnSite& site) {
  if (!site.datatype_valid) return;
  // Names are formatted only when something is reported: this runs for every column.
  auto name = [&] { return qualified(table, column.name); };
  const std::string_view type = model::felisTypeName(column.datatype);
  if (model::isSized(column.datatype) && !column.length && !site.has("length")) {
    diag_.report(DiagId::err_length_required, site.at("datatype"), {name(), type});
  } else if (!model::isSized(column.datatype) && column.length) {
    diag_.report(DiagId::warn_length_ignored, site.at("length"), {name(), type});
  }
  if (column.precision && column.datatype != model::FelisType::Timestamp)
    diag_.report(DiagId::err_precision_not_timestamp, site.at("precision"), {name(), type});
  if (column.value && column.autoincrement == true)
    diag_.report(DiagId::err_value_with_autoincrement, site.at("value"), {name()});
  if (column.value) checkValue(table, column, site);
  // felis checks units with astropy (not here), and that only one unit key is set.
  bool fits_unit = false;
  bool ivoa_unit = false;
  for (const model::Annotation& annotation : column.annotations) {
    if (annotation.value.text.empty()) continue;
    fits_unit |= annotation.key == "fits:tunit";
    ivoa_unit |= annotation.key == "ivoa:unit";
  }
  if (fits_unit && ivoa_unit) diag_.report(DiagId::err_both_units, site.at("ivoa:unit"), {name()});
  if (options_.checks.redundant_datatypes) checkRedundantDatatypes(column, site);
}

void Validator::checkValue(const model::Table& table, const model::Column& column, const ColumnSite& site) {
  using K = model::Scalar::Kind;
  const model::Scalar& value = *column.value;
  std::string_view expected;
  bool ok = true;
  if (model::isInteger(column.datatype)) {
    // A YAML boolean passes: Python's bool is an int.
    ok = value.kind == K::Integer || value.kind == K::Boolean;
    expected = "an integer";
  } else if (model::isFloating(column.datatype)) {
    ok = value.kind == K::Float;
    expected = "a decimal number (a float such as 1.0)";
  } else if (model::isCharacter(column.datatype)) {
    ok = value.kind == K::String;
    expected = "a string";
    if (ok && value.text.empty()) {
      diag_.report(DiagId::err_value_empty_string, site.at("value"), {qualified(table, column.name)});
      return;
    }
  } else if (column.datatype == model::FelisType::Boolean) {
    ok = value.kind == K::Boolean;
    expected = "a boolean";
  }
  if (ok) return;
  std::string actual;
  switch (value.kind) {
    case K::Integer: actual = "an integer (" + value.text + ")"; break;
    case K::Float: actual = "a float (" + value.text + ")"; break;
    case K::Boolean: actual = "a boolean (" + value.text + ")"; break;
    case K::String: actual = "a string ('" + value.text + "')"; break;
    case K::Null: actual = "null"; break;
  }
  diag_.report(DiagId::err_value_type, site.at("value"),
               {qualified(table, column.name), expected, model::felisTypeName(column.datatype), actual});
}

void Validator::checkRedundantDatatypes(const model::Column& column, const ColumnSite& site) {
  for (bool mysql : {false, true}) {
    const auto& override_type = mysql ? column.mysql_datatype : column.postgresql_datatype;
    if (!override_type || override_type->empty()) continue;
    const std::string length =
        model::isSized(column.datatype) && column.length ? "(" + std::to_string(*column.length) + ")" : "";
    if (defaultCompiledType(column.datatype, length, mysql) !=
        overrideCompiledType(*override_type, column.length, mysql))
      continue;
    std::string with_length = column.length ? " with length " + std::to_string(*column.length) : "";
    std::string_view key = mysql ? "mysql:datatype" : "postgresql:datatype";
    diag_.report(DiagId::err_redundant_datatype, site.at(key),
                 {key, *override_type, model::felisTypeName(column.datatype), column.id, with_length});
  }
}

// --- references -------------------------------------------------------------------

const model::Column* Validator::columnInTable(std::size_t t, const IdRef& ref, const std::string& what) {
  const model::Table& table = schema_.tables[t];
  const IdTarget* target = ids_.find(ref.id);
  if (target != nullptr && target->kind == IdTarget::Kind::Column && target->table == t)
    return &table.columns[target->item];
  // felis looks the column up in the table by @id, so a column whose @id is
  // also used elsewhere (a reported duplicate) still resolves here.
  for (const model::Column& column : table.columns)
    if (column.id == ref.id) return &column;
  if (target == nullptr) {
    diag_.report(DiagId::err_dangling_reference, ref.pos, {ref.id, "column"});
  } else if (target->kind != IdTarget::Kind::Column) {
    diag_.report(DiagId::err_not_a_column, ref.pos, {ref.id, describeTarget(schema_, *target)});
  } else {
    diag_.report(DiagId::err_column_not_in_table, ref.pos, {what, ref.id, table.name});
  }
  return nullptr;
}

const model::Column* Validator::anyColumn(const IdRef& ref, std::size_t& table) {
  const IdTarget* target = ids_.find(ref.id);
  if (target == nullptr) {
    diag_.report(DiagId::err_dangling_reference, ref.pos, {ref.id, "column"});
    return nullptr;
  }
  if (target->kind != IdTarget::Kind::Column) {
    diag_.report(DiagId::err_not_a_column, ref.pos, {ref.id, describeTarget(schema_, *target)});
    return nullptr;
  }
  table = target->table;
  return &schema_.tables[target->table].columns[target->item];
}

void Validator::checkRepeated(const std::vector<std::string>& names, const std::vector<IdRef>& refs,
                              const std::string& what) {
  // `names` parallels the resolved prefix of `refs` only when every ref resolved.
  if (names.size() != refs.size()) return;
  for (std::size_t i = 1; i < names.size(); ++i) {
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), names[i]) !=
        names.begin() + static_cast<std::ptrdiff_t>(i))
      diag_.report(DiagId::err_column_repeated, refs[i].pos, {what, names[i]});
  }
}

void Validator::resolvePrimaryKey(std::size_t t) {
  model::Table& table = schema_.tables[t];
  const TableSite& site = site_.tables[t];
  const std::string what = "the primary key of table '" + table.name + "'";
  std::vector<std::string> names;
  std::vector<const model::Column*> key_columns;
  for (const IdRef& ref : site.primary_key) {
    if (const model::Column* column = columnInTable(t, ref, what)) {
      names.push_back(column->name);
      key_columns.push_back(column);
    }
  }
  checkRepeated(names, site.primary_key, what);

  // Autoincrement (felis-format.md §6.4): `true` makes a primary key column
  // serial, which needs an integer type; only one column can be it.
  std::size_t marked = 0;
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    const model::Column& column = table.columns[c];
    if (column.autoincrement != true) continue;
    const bool in_key = std::find(key_columns.begin(), key_columns.end(), &column) != key_columns.end();
    const SourcePos pos = site.columns[c].at("autoincrement");
    if (!in_key) {
      if (site.has_primary_key || site.primary_key.empty())
        diag_.report(DiagId::warn_autoincrement_ignored, pos, {qualified(table, column.name)});
      continue;
    }
    ++marked;
    if (site.columns[c].datatype_valid && !model::isInteger(column.datatype))
      diag_.report(DiagId::err_autoincrement_type, pos,
                   {qualified(table, column.name), model::felisTypeName(column.datatype)});
    if (marked == 2) diag_.report(DiagId::err_autoincrement_twice, pos, {table.name});
  }

  if (!site.has_primary_key) return;
  model::PrimaryKey key;
  key.columns = std::move(names);
  key.pos = site.at("primaryKey");
  table.primary_key = std::move(key);
}

void Validator::resolveConstraints(std::size_t t) {
  model::Table& table = schema_.tables[t];
  const TableSite& site = site_.tables[t];
  for (std::size_t k = 0; k < table.constraints.size(); ++k) {
    model::Constraint& constraint = table.constraints[k];
    const ConstraintSite& constraint_site = site.constraints[k];
    const std::string what = "constraint '" + constraint.name + "'";
    if (constraint_site.has("initially") && !constraint.deferrable)
      diag_.report(DiagId::err_initially_without_deferrable, constraint_site.at("initially"),
                   {constraint.name});
    // PostgreSQL refuses DEFERRABLE on a CHECK ("misplaced DEFERRABLE clause"):
    // an error here, so nothing downstream ever writes it.
    if (constraint.kind == model::ConstraintKind::Check && constraint.deferrable)
      diag_.report(DiagId::err_check_deferrable, constraint_site.at("deferrable"), {constraint.name});

    if (constraint.kind == model::ConstraintKind::Check) continue;
    constraint.columns.clear();
    for (const IdRef& ref : constraint_site.columns)
      if (const model::Column* column = columnInTable(t, ref, what))
        constraint.columns.push_back(column->name);

    if (constraint.kind == model::ConstraintKind::Unique) {
      if (constraint_site.columns.empty() && constraint_site.has("columns"))
        diag_.report(DiagId::err_unique_without_columns, constraint_site.at("columns"), {constraint.name});
      checkRepeated(constraint.columns, constraint_site.columns,
                    "unique constraint '" + constraint.name + "'");
      continue;
    }

    // Foreign key.
    if (!constraint_site.columns.empty() && !constraint_site.referenced_columns.empty() &&
        constraint_site.columns.size() != constraint_site.referenced_columns.size()) {
      diag_.report(DiagId::err_fk_length_mismatch, constraint_site.at("referencedColumns"),
                   {constraint.name, std::to_string(constraint_site.columns.size()),
                    std::to_string(constraint_site.referenced_columns.size())});
    }
    constraint.ref_columns.clear();
    constraint.ref_table.clear();
    std::size_t ref_table = 0;
    bool have_table = false;
    for (const IdRef& ref : constraint_site.referenced_columns) {
      std::size_t column_table = 0;
      const model::Column* column = anyColumn(ref, column_table);
      if (column == nullptr) continue;
      if (!have_table) {
        ref_table = column_table;
        have_table = true;
        constraint.ref_table = schema_.tables[ref_table].name;
      } else if (column_table != ref_table) {
        diag_.report(DiagId::err_fk_several_tables, ref.pos,
                     {constraint.name, schema_.tables[ref_table].name, schema_.tables[column_table].name});
        continue;
      }
      constraint.ref_columns.push_back(column->name);
    }
    checkRepeated(constraint.ref_columns, constraint_site.referenced_columns,
                  "the referenced columns of foreign key '" + constraint.name + "'");
  }
}

void Validator::resolveIndexes(std::size_t t) {
  model::Table& table = schema_.tables[t];
  const TableSite& site = site_.tables[t];
  for (std::size_t i = 0; i < table.indexes.size(); ++i) {
    model::Index& index = table.indexes[i];
    const IndexSite& index_site = site.indexes[i];
    if (index_site.columns.empty()) continue;
    const std::string what = "index '" + index.name + "'";
    index.elements.clear();
    for (const IdRef& ref : index_site.columns)
      if (const model::Column* column = columnInTable(t, ref, what))
        index.elements.push_back(model::IndexElement{column->name, false});
  }
}

void Validator::resolveGroups(std::size_t t) {
  model::Table& table = schema_.tables[t];
  const TableSite& site = site_.tables[t];
  for (std::size_t g = 0; g < table.column_groups.size(); ++g) {
    model::ColumnGroup& group = table.column_groups[g];
    const GroupSite& group_site = site.groups[g];
    const std::string what = "column group '" + qualified(table, group.name) + "'";
    group.columns.clear();
    for (std::size_t e = 0; e < group_site.entries.size(); ++e) {
      const GroupEntry& entry = group_site.entries[e];
      for (std::size_t earlier = 0; earlier < e; ++earlier) {
        if (group_site.entries[earlier].ref.id == entry.ref.id) {
          diag_.report(DiagId::err_group_duplicate_entry, entry.ref.pos,
                       {qualified(table, group.name), entry.ref.id});
          break;
        }
      }
      if (entry.is_inline) {
        group.columns.push_back(entry.inline_name);
        continue;
      }
      // felis looks group entries up in the table only.
      const model::Column* found = nullptr;
      for (const model::Column& column : table.columns)
        if (column.id == entry.ref.id) found = &column;
      if (found == nullptr) {
        diag_.report(DiagId::err_column_not_in_table, entry.ref.pos, {what, entry.ref.id, table.name});
        continue;
      }
      group.columns.push_back(found->name);
    }
  }
}

// --- names ------------------------------------------------------------------------

void Validator::checkConstraintNames() {
  struct Use {
    std::size_t table;
    std::size_t constraint;
  };
  std::unordered_map<std::string_view, std::vector<Use>> uses;
  for (std::size_t t = 0; t < schema_.tables.size(); ++t) {
    const model::Table& table = schema_.tables[t];
    for (std::size_t k = 0; k < table.constraints.size(); ++k) {
      const model::Constraint& constraint = table.constraints[k];
      if (!site_.tables[t].constraints[k].has_name) continue;
      std::vector<Use>& earlier = uses[constraint.name];
      if (!earlier.empty()) {
        // An earlier use PostgreSQL also rejects: the same table (constraint
        // names are per table), or two unique constraints (their indexes share
        // the schema's relation namespace).
        const Use* blocking = nullptr;
        for (const Use& use : earlier) {
          const model::Constraint& other = schema_.tables[use.table].constraints[use.constraint];
          if (use.table == t || (other.kind == model::ConstraintKind::Unique &&
                                 constraint.kind == model::ConstraintKind::Unique)) {
            blocking = &use;
            break;
          }
        }
        const Use& previous = blocking != nullptr ? *blocking : earlier.front();
        const model::Table& previous_table = schema_.tables[previous.table];
        const SourcePos pos = site_.tables[t].constraints[k].at("name");
        if (blocking == nullptr && !options_.strict_felis) {
          diag_.report(DiagId::warn_duplicate_constraint_name, pos, {constraint.name, previous_table.name});
        } else {
          diag_.report(DiagId::err_duplicate_constraint_name, pos, {constraint.name, previous_table.name});
        }
        diag_.note(DiagId::note_previous_definition,
                   site_.tables[previous.table].constraints[previous.constraint].at("name"));
      }
      earlier.push_back(Use{t, k});
    }
  }
}

void Validator::checkIndexNames() {
  std::unordered_map<std::string_view, std::pair<std::size_t, std::size_t>> seen;
  for (std::size_t t = 0; t < schema_.tables.size(); ++t) {
    const model::Table& table = schema_.tables[t];
    for (std::size_t i = 0; i < table.indexes.size(); ++i) {
      if (!site_.tables[t].indexes[i].has_name) continue;
      auto [it, inserted] = seen.try_emplace(table.indexes[i].name, t, i);
      if (inserted) continue;
      diag_.report(DiagId::err_duplicate_index_name, site_.tables[t].indexes[i].at("name"),
                   {table.indexes[i].name, schema_.tables[it->second.first].name});
      diag_.note(DiagId::note_previous_definition,
                 site_.tables[it->second.first].indexes[it->second.second].at("name"));
    }
  }
}

void Validator::tooLong(std::string_view kind, const std::string& name, SourcePos pos) {
  if (name.size() <= kMaxIdentifierBytes) return;
  diag_.report(DiagId::err_identifier_too_long, pos, {kind, name, std::to_string(name.size())});
}

void Validator::checkIdentifierLengths() {
  tooLong("schema", schema_.name, site_.at("name"));
  for (std::size_t t = 0; t < schema_.tables.size(); ++t) {
    const model::Table& table = schema_.tables[t];
    const TableSite& site = site_.tables[t];
    tooLong("table", table.name, site.at("name"));
    for (std::size_t c = 0; c < table.columns.size(); ++c)
      tooLong("column", table.columns[c].name, site.columns[c].at("name"));
    for (std::size_t k = 0; k < table.constraints.size(); ++k)
      tooLong("constraint", table.constraints[k].name, site.constraints[k].at("name"));
    for (std::size_t i = 0; i < table.indexes.size(); ++i)
      tooLong("index", table.indexes[i].name, site.indexes[i].at("name"));
  }
}

void Validator::checkRelationNamespace() {
  // PostgreSQL keeps tables, indexes and the indexes behind unique and primary
  // key constraints in one namespace per schema (pg_class). Collisions of two
  // tables, two indexes or two constraints are reported by their own rules.
  // Relations are listed in the order felisc's DDL creates them (resolve.cpp):
  // per table, the table, its primary key, its unique constraints, its indexes.
  // A primary key is unnamed: the server names it `<table>_pkey`, or picks
  // `<table>_pkey1`, ... when that is taken, so it only collides with a named
  // relation created after it.
  enum class Kind { Table, PrimaryKey, Unique, Index };
  struct Relation {
    Kind kind;
    std::string name;
    std::string description;
    SourcePos pos;
  };
  std::vector<Relation> relations;
  for (std::size_t t = 0; t < schema_.tables.size(); ++t) {
    const model::Table& table = schema_.tables[t];
    const TableSite& site = site_.tables[t];
    if (site.has_name)
      relations.push_back({Kind::Table, table.name, "table '" + table.name + "'", site.at("name")});
    if (site.has_name && table.primary_key)
      relations.push_back({Kind::PrimaryKey, model::makeObjectName(table.name, "", "pkey"),
                           "the primary key of table '" + table.name + "'", site.at("primaryKey")});
    for (std::size_t k = 0; k < table.constraints.size(); ++k) {
      const model::Constraint& constraint = table.constraints[k];
      if (constraint.kind == model::ConstraintKind::Unique && site.constraints[k].has_name)
        relations.push_back({Kind::Unique, constraint.name, "unique constraint '" + constraint.name + "'",
                             site.constraints[k].at("name")});
    }
    for (std::size_t i = 0; i < table.indexes.size(); ++i)
      if (site.indexes[i].has_name)
        relations.push_back({Kind::Index, table.indexes[i].name, "index '" + table.indexes[i].name + "'",
                             site.indexes[i].at("name")});
  }
  std::unordered_map<std::string_view, std::size_t> seen;
  seen.reserve(relations.size());
  for (std::size_t r = 0; r < relations.size(); ++r) {
    auto [it, inserted] = seen.try_emplace(relations[r].name, r);
    if (inserted) continue;
    const Relation& first = relations[it->second];
    const Relation& second = relations[r];
    if (first.kind == second.kind || second.kind == Kind::PrimaryKey) continue;
    static constexpr std::string_view kKindNames[] = {"table", "primary key", "unique constraint", "index"};
    diag_.report(DiagId::err_relation_name_collision, second.pos,
                 {kKindNames[static_cast<int>(second.kind)], second.name, first.description});
    diag_.note(DiagId::note_previous_definition, first.pos);
  }
}

// --- felis validate --check-* ----------------------------------------------------

void Validator::checkDescriptions() {
  auto check = [&](const std::optional<std::string>& description, const std::string& what, SourcePos pos) {
    if (!description || description->empty()) diag_.report(DiagId::err_description_required, pos, {what});
  };
  check(schema_.description, "schema '" + schema_.name + "'", site_.pos);
  for (std::size_t t = 0; t < schema_.tables.size(); ++t) {
    const model::Table& table = schema_.tables[t];
    const TableSite& site = site_.tables[t];
    check(table.description, "table '" + table.name + "'", site.pos);
    for (std::size_t c = 0; c < table.columns.size(); ++c)
      check(table.columns[c].description, "column '" + qualified(table, table.columns[c].name) + "'",
            site.columns[c].pos);
    for (std::size_t k = 0; k < table.constraints.size(); ++k)
      check(table.constraints[k].description, "constraint '" + table.constraints[k].name + "'",
            site.constraints[k].pos);
    for (std::size_t i = 0; i < table.indexes.size(); ++i)
      check(table.indexes[i].description, "index '" + table.indexes[i].name + "'", site.indexes[i].pos);
    for (std::size_t g = 0; g < table.column_groups.size(); ++g)
      check(table.column_groups[g].description,
            "column group '" + qualified(table, table.column_groups[g].name) + "'", site.groups[g].pos);
  }
}

void Validator::checkTapTableIndexes() {
  std::unordered_map<std::string_view, std::size_t> seen;
  for (std::size_t t = 0; t < schema_.tables.size(); ++t) {
    const model::Table& table = schema_.tables[t];
    const model::Annotation* index = findAnnotation(table.annotations, "tap:table_index");
    if (index == nullptr || index->value.kind != model::Scalar::Kind::Integer) {
      diag_.report(DiagId::err_tap_table_index_missing, site_.tables[t].pos, {table.name});
      continue;
    }
    auto [it, inserted] = seen.try_emplace(index->value.text, t);
    if (inserted) continue;
    diag_.report(DiagId::err_tap_table_index_duplicate, site_.tables[t].at("tap:table_index"),
                 {index->value.text, table.name, schema_.tables[it->second].name});
    diag_.note(DiagId::note_previous_definition, site_.tables[it->second].at("tap:table_index"));
  }
}

void Validator::checkTapPrincipal() {
  for (std::size_t t = 0; t < schema_.tables.size(); ++t) {
    const model::Table& table = schema_.tables[t];
    const bool has_principal =
        std::any_of(table.columns.begin(), table.columns.end(), [](const model::Column& c) {
          const model::Annotation* principal = findAnnotation(c.annotations, "tap:principal");
          return principal != nullptr && principal->value.kind == model::Scalar::Kind::Integer &&
                 principal->value.text == "1";
        });
    if (!has_principal) diag_.report(DiagId::err_tap_principal_missing, site_.tables[t].pos, {table.name});
  }
}

}  // namespace

void validateFelis(model::Schema& schema, const SchemaSite& site, const ReadOptions& options,
                   const std::string& file, model::Diagnostics& diagnostics) {
  DiagnosticBuffer buffer(file);
  Validator(schema, site, options, buffer).run();
  buffer.flushTo(diagnostics);
}

}  // namespace felisc::felis
