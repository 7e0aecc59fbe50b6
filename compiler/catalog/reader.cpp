#include "compiler/catalog/reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "compiler/catalog/queries.h"

namespace felisc::catalog {

namespace {

using model::DiagId;

/// Where a relation of the result lives in the output.
struct RelationRef {
  std::size_t schema = 0;
  bool is_view = false;
  std::size_t index = 0;
};

/// One relation's columns by attribute number, for constraint and index keys.
struct AttnumMap {
  std::vector<int> column_of_attnum;  ///< -1 where there is no live column
};

/// The results of one call's bulk queries, by name.
struct QueryResults {
  catalog::Result schemas, relations, columns, sequences, constraints, indexes, grants, view_dependencies;
};

// --- small parsers ----------------------------------------------------------------

std::uint32_t parseOid(std::string_view text) {
  std::uint32_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

int parseInt(std::string_view text) {
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

bool parseBool(std::string_view text) { return text == "t"; }

std::optional<std::string> optionalText(const catalog::Result& result, int row, int column) {
  if (result.isNull(row, column)) return std::nullopt;
  return std::string(result.get(row, column));
}

std::vector<std::string> textArray(const catalog::Result& result, int row, int column) {
  if (result.isNull(row, column)) return {};
  auto items = catalog::parseTextArray(result.get(row, column));
  return items ? std::move(*items) : std::vector<std::string>{};
}

model::FkAction fkAction(std::string_view code) {
  if (code == "r") return model::FkAction::Restrict;
  if (code == "c") return model::FkAction::Cascade;
  if (code == "n") return model::FkAction::SetNull;
  if (code == "d") return model::FkAction::SetDefault;
  return model::FkAction::NoAction;
}

/// `"a""b".c` -> {`a"b`, `c`}: the parts of a (possibly quoted) qualified name.
std::vector<std::string> splitQualifiedName(std::string_view text) {
  std::vector<std::string> parts;
  std::string part;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        part += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        part += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '.') {
      parts.push_back(std::move(part));
      part.clear();
    } else {
      part += c;
    }
  }
  parts.push_back(std::move(part));
  return parts;
}

/// True when `expression` is `nextval('<...>sequence'::regclass)`.
bool isNextvalOf(std::string_view expression, std::string_view sequence) {
  constexpr std::string_view kPrefix = "nextval('";
  constexpr std::string_view kSuffix = "'::regclass)";
  if (expression.size() < kPrefix.size() + kSuffix.size() || !expression.starts_with(kPrefix) ||
      !expression.ends_with(kSuffix))
    return false;
  std::string_view literal =
      expression.substr(kPrefix.size(), expression.size() - kPrefix.size() - kSuffix.size());
  std::string name;
  for (std::size_t i = 0; i < literal.size(); ++i) {
    name += literal[i];
    if (literal[i] == '\'' && i + 1 < literal.size() && literal[i + 1] == '\'') ++i;
  }
  return splitQualifiedName(name).back() == sequence;
}

/// `CHECK ((a > 0)) NOT VALID` -> `(a > 0)`: the expression inside CHECK ( ... ).
std::string checkExpression(std::string_view definition) {
  constexpr std::string_view kPrefix = "CHECK (";
  if (!definition.starts_with(kPrefix)) return std::string(definition);
  int depth = 1;
  bool in_string = false;
  bool in_identifier = false;
  for (std::size_t i = kPrefix.size(); i < definition.size(); ++i) {
    char c = definition[i];
    if (in_string) {
      if (c == '\'') in_string = false;
    } else if (in_identifier) {
      if (c == '"') in_identifier = false;
    } else if (c == '\'') {
      in_string = true;
    } else if (c == '"') {
      in_identifier = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return std::string(definition.substr(kPrefix.size(), i - kPrefix.size()));
    }
  }
  return std::string(definition);
}

/// The last `::type` cast of a default, outside quotes: `'x'::character varying`
/// -> {`'x'`, `character varying`}. No cast: {whole, ""}.
std::pair<std::string_view, std::string_view> splitCast(std::string_view expression) {
  bool in_string = false;
  std::size_t cast = std::string_view::npos;
  for (std::size_t i = 0; i < expression.size(); ++i) {
    char c = expression[i];
    if (c == '\'') in_string = !in_string;
    if (!in_string && c == ':' && i + 1 < expression.size() && expression[i + 1] == ':') {
      cast = i;
      ++i;
    }
  }
  if (cast == std::string_view::npos) return {expression, {}};
  return {expression.substr(0, cast), expression.substr(cast + 2)};
}

/// The text of a plain SQL string literal (`'it''s'` -> `it's`); nullopt for
/// anything else (E'' strings included).
std::optional<std::string> stringLiteral(std::string_view text) {
  if (text.size() < 2 || text.front() != '\'' || text.back() != '\'') return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '\'') {
      if (i + 2 < text.size() && text[i + 1] == '\'') {
        out += '\'';
        ++i;
        continue;
      }
      return std::nullopt;
    }
    out += text[i];
  }
  return out;
}

/// A literal's text without its quotes (`'-1'` -> `-1`, `5` -> `5`).
std::optional<std::string> literalText(std::string_view text) {
  if (!text.empty() && text.front() == '\'') return stringLiteral(text);
  if (text.empty() || text.find_first_of(" ()'\"") != std::string_view::npos) return std::nullopt;
  return std::string(text);
}

/// Python's repr() of a double: the shortest text that reads back the same,
/// "1.0" for whole numbers, exponent form outside [1e-4, 1e16).
std::string pythonRepr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  (void)ec;
  std::string scientific(buffer, end);  // d.ddde[+-]xx, shortest round trip
  std::size_t e = scientific.find('e');
  std::string mantissa = scientific.substr(0, e);
  int exponent = parseInt(std::string_view(scientific).substr(e + (scientific[e + 1] == '+' ? 2 : 1)));
  bool negative = mantissa.front() == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa)
    if (c != '.') digits += c;
  std::string out;
  if (exponent >= -5 && exponent < 16) {
    if (exponent >= 0) {
      std::string integer_part = digits.substr(0, std::min<std::size_t>(digits.size(), exponent + 1));
      while (integer_part.size() < static_cast<std::size_t>(exponent) + 1) integer_part += '0';
      std::string fraction =
          digits.size() > static_cast<std::size_t>(exponent) + 1 ? digits.substr(exponent + 1) : "0";
      out = integer_part + "." + fraction;
    } else {
      out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp_text[16];
    std::snprintf(exp_text, sizeof exp_text, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += exp_text;
  }
  return negative ? "-" + out : out;
}

// --- type inference ------------------------------------------------------------------

/// `prefix(123)suffix` -> 123 when `text` has exactly that shape.
std::optional<std::int64_t> typeModifier(std::string_view text, std::string_view prefix,
                                         std::string_view suffix) {
  if (!text.starts_with(prefix) || !text.ends_with(suffix) || text.size() <= prefix.size() + suffix.size())
    return std::nullopt;
  std::string_view inner = text.substr(prefix.size(), text.size() - prefix.size() - suffix.size());
  if (inner.size() < 3 || inner.front() != '(' || inner.back() != ')') return std::nullopt;
  inner = inner.substr(1, inner.size() - 2);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(inner.data(), inner.data() + inner.size(), value);
  if (ec != std::errc() || end != inner.data() + inner.size()) return std::nullopt;
  return value;
}

}  // namespace

void inferFelisType(model::Column& column) {
  using model::FelisType;
  const std::string& type = column.sql_type;
  column.length.reset();
  column.precision.reset();
  column.postgresql_datatype.reset();
  auto exact = [&](FelisType felis) { column.datatype = felis; };
  if (type == "boolean") return exact(FelisType::Boolean);
  if (type == "smallint") return exact(FelisType::Short);
  if (type == "integer") return exact(FelisType::Int);
  if (type == "bigint") return exact(FelisType::Long);
  if (type == "double precision") return exact(FelisType::Double);
  if (type == "text") return exact(FelisType::Text);
  if (type == "bytea") return exact(FelisType::Binary);  // BYTEA holds no length
  if (type == "timestamp without time zone") return exact(FelisType::Timestamp);
  if (auto n = typeModifier(type, "character", "")) {
    column.length = *n;
    return exact(FelisType::Char);
  }
  if (auto n = typeModifier(type, "character varying", "")) {
    column.length = *n;
    return exact(FelisType::String);
  }
  if (auto p = typeModifier(type, "timestamp", " without time zone")) {
    column.precision = *p;
    return exact(FelisType::Timestamp);
  }
  // No Felis type gives this one: keep the catalog's spelling as the override and
  // pick the Felis datatype closest in meaning (what TAP and VOTable will see).
  column.postgresql_datatype = type;
  if (type == "real") {
    column.datatype = FelisType::Float;
  } else if (type.starts_with("numeric") || type.starts_with("decimal")) {
    column.datatype = FelisType::Double;
  } else if (type.starts_with("timestamp") || type.starts_with("time") || type == "date") {
    column.datatype = FelisType::Timestamp;
  } else if (type.starts_with("character varying") || type.starts_with("character") || type == "bpchar") {
    column.datatype = FelisType::Text;
  } else {
    column.datatype = FelisType::Text;
  }
}

void inferFelisValue(model::Column& column) {
  using model::FelisType;
  using Kind = model::Scalar::Kind;
  column.value.reset();
  if (!column.sql_default || column.generation != model::Generation::None) return;
  const std::string& expression = *column.sql_default;
  // Felis writes these four strings as raw SQL; the server renders now() in lower case.
  if (expression == "CURRENT_TIMESTAMP" || expression == "LOCALTIMESTAMP") {
    column.value = model::Scalar{Kind::String, expression};
    return;
  }
  if (expression == "now()") {
    column.value = model::Scalar{Kind::String, "NOW()"};
    return;
  }
  auto [literal, cast] = splitCast(expression);
  (void)cast;
  std::optional<std::string> text = literalText(literal);
  if (!text) return;
  const std::string& type = column.sql_type;
  if (type == "smallint" || type == "integer" || type == "bigint") {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec == std::errc() && end == text->data() + text->size())
      column.value = model::Scalar{Kind::Integer, std::to_string(value)};
    return;
  }
  if (type == "double precision" || type == "real") {
    double value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec == std::errc() && end == text->data() + text->size())
      column.value = model::Scalar{Kind::Float, pythonRepr(value)};
    return;
  }
  if (type == "boolean") {
    if (*text == "true" || *text == "false") column.value = model::Scalar{Kind::Boolean, *text};
    return;
  }
  if (literal.empty() || literal.front() != '\'') return;  // only quoted literals below
  bool character = column.datatype == FelisType::Char || column.datatype == FelisType::String ||
                   column.datatype == FelisType::Text || column.datatype == FelisType::Unicode;
  if (!character && column.datatype != FelisType::Timestamp) return;
  // Felis strips whitespace from a string value and rejects an empty one, and
  // writes these four as raw SQL: such defaults cannot be said in Felis.
  if (text->empty() || text->front() == ' ' || text->back() == ' ' || text->front() == '\t' ||
      text->back() == '\t' || text->front() == '\n' || text->back() == '\n')
    return;
  if (*text == "CURRENT_TIMESTAMP" || *text == "NOW()" || *text == "LOCALTIMESTAMP" || *text == "NULL")
    return;
  column.value = model::Scalar{Kind::String, *text};
}

namespace {

// --- the reader ----------------------------------------------------------------------

class Reader {
 public:
  Reader(catalog::Connection& connection, const std::vector<std::string>& schema_names,
         ReadTransaction transaction)
      : connection_(connection),
        schema_names_(schema_names),
        own_transaction_(transaction == ReadTransaction::Own) {}

  CatalogResult run() {
    if (!runQueries()) return std::move(result_);
    if (!readSchemaRows()) return std::move(result_);
    readRelations();
    readSequences();
    readColumns();
    readOrphanSequences();
    readConstraints();
    readIndexes();
    readGrants();
    readViewDependencies();
    finish();
    return std::move(result_);
  }

 private:
  void reportDatabaseError(std::string_view what, const catalog::Error& error) {
    std::string message = std::string(what) + ": " + error.message;
    if (!error.sqlstate.empty()) message += " (SQLSTATE " + error.sqlstate + ")";
    result_.diagnostics.report(DiagId::err_catalog_query, "", {}, {message});
  }

  /// Collected and reported in sorted order at the end: rows arrive in no order.
  void notModelled(std::string_view kind, const std::string& relation, const std::string& what) {
    not_modelled_.push_back({std::string(kind), "'" + relation + "'", what});
  }

  bool runQueries() {
    catalog::Error error;
    if (!connection_.exec(own_transaction_ ? sql::kBeginSnapshot : sql::kSavepoint, error)) {
      reportDatabaseError(
          own_transaction_ ? "cannot start a read-only transaction" : "cannot set a savepoint", error);
      return false;
    }
    std::vector<std::string> params = {catalog::textArrayLiteral(schema_names_)};
    struct Step {
      std::string_view sql;
      std::string_view what;
      catalog::Result* into;
    };
    const Step steps[] = {
        {sql::kSetSearchPath, "setting the search path", nullptr},
        {sql::kSchemas, "reading schemas", &queries_.schemas},
        {sql::kRelations, "reading tables and views", &queries_.relations},
        {sql::kColumns, "reading columns", &queries_.columns},
        {sql::kOwnedSequences, "reading owned sequences", &queries_.sequences},
        {sql::kConstraints, "reading constraints", &queries_.constraints},
        {sql::kIndexes, "reading indexes", &queries_.indexes},
        {sql::kGrants, "reading privileges", &queries_.grants},
        {sql::kViewDependencies, "reading view dependencies", &queries_.view_dependencies},
    };
    for (const Step& step : steps) {
      std::span<const std::string> step_params = step.sql == sql::kSetSearchPath
                                                     ? std::span<const std::string>{}
                                                     : std::span<const std::string>(params);
      auto rows = connection_.exec(step.sql, step_params, error);
      if (!rows) {
        reportDatabaseError(step.what, error);
        catalog::Error ignored;
        connection_.exec(own_transaction_ ? sql::kRollback : sql::kRollbackToSavepoint, ignored);
        return false;
      }
      if (step.into != nullptr) *step.into = std::move(*rows);
    }
    if (!connection_.exec(own_transaction_ ? sql::kCommit : sql::kRollbackToSavepoint, error)) {
      reportDatabaseError(
          own_transaction_ ? "cannot end the read-only transaction" : "cannot roll back to the savepoint",
          error);
      return false;
    }
    return true;
  }

  bool readSchemaRows() {
    const catalog::Result& rows = queries_.schemas;
    std::unordered_map<std::string, int> found;
    for (int row = 0; row < rows.rows(); ++row) found.emplace(std::string(rows.get(row, 0)), row);
    const std::string database = connection_.databaseName();
    bool ok = true;
    for (const std::string& name : schema_names_) {
      auto it = found.find(name);
      if (it == found.end()) {
        result_.diagnostics.report(DiagId::err_schema_missing, "", {}, {name, database});
        ok = false;
      } else if (!parseBool(rows.get(it->second, 1))) {
        result_.diagnostics.report(DiagId::err_schema_no_usage, "", {},
                                   {connection_.userName(), name, database});
        ok = false;
      }
    }
    if (!ok) return false;
    schemas_.resize(schema_names_.size());
    for (std::size_t i = 0; i < schema_names_.size(); ++i) {
      model::Schema& schema = schemas_[i];
      schema.name = schema_names_[i];
      schema.description = optionalText(rows, found.at(schema.name), 3);
      schema_index_.emplace(schema.name, i);
    }
    return true;
  }

  void readRelations() {
    const catalog::Result& rows = queries_.relations;
    // Sort by (schema, name) in byte order before placing, so that output order
    // never depends on the server's collation or on oids.
    std::vector<int> order(static_cast<std::size_t>(rows.rows()));
    for (int row = 0; row < rows.rows(); ++row) order[static_cast<std::size_t>(row)] = row;
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      return std::pair(rows.get(a, 1), rows.get(a, 2)) < std::pair(rows.get(b, 1), rows.get(b, 2));
    });
    relations_.reserve(order.size());
    for (int row : order) {
      std::size_t schema_index = schema_index_.at(std::string(rows.get(row, 1)));
      model::Schema& schema = schemas_[schema_index];
      std::string_view kind = rows.get(row, 3);
      std::uint32_t oid = parseOid(rows.get(row, 0));
      if (kind == "v" || kind == "m") {
        model::View view;
        view.name = rows.get(row, 2);
        view.materialized = kind == "m";
        view.owner = rows.get(row, 4);
        view.description = optionalText(rows, row, 5);
        view.options = textArray(rows, row, 6);
        view.definition = rows.get(row, 7);
        schema.views.push_back(std::move(view));
        relations_.emplace(oid, RelationRef{schema_index, true, schema.views.size() - 1});
      } else {
        model::Table table;
        table.name = rows.get(row, 2);
        table.owner = rows.get(row, 4);
        table.description = optionalText(rows, row, 5);
        schema.tables.push_back(std::move(table));
        relations_.emplace(oid, RelationRef{schema_index, false, schema.tables.size() - 1});
      }
    }
  }

  static std::uint64_t columnKey(std::uint32_t relation, int attnum) {
    return (static_cast<std::uint64_t>(relation) << 16) | static_cast<std::uint16_t>(attnum);
  }

  void readSequences() {
    const catalog::Result& rows = queries_.sequences;
    sequences_.reserve(static_cast<std::size_t>(rows.rows()));
    for (int row = 0; row < rows.rows(); ++row) {
      std::uint64_t key = columnKey(parseOid(rows.get(row, 0)), parseInt(rows.get(row, 1)));
      sequences_.emplace(key, OwnedSequence{std::string(rows.get(row, 2)), rows.get(row, 3) == "i"});
    }
  }

  /// The sequences a column owns without generating from them (its default was
  /// dropped, or never used it): model::Sequence, whole, in the owner's schema.
  void readOrphanSequences() {
    const catalog::Result& rows = queries_.sequences;
    for (int row = 0; row < rows.rows(); ++row) {
      if (rows.get(row, 3) == "i") continue;  // identity: always its column's
      const std::uint32_t oid = parseOid(rows.get(row, 0));
      auto relation = relations_.find(oid);
      auto attnums = attnums_.find(oid);
      if (relation == relations_.end() || relation->second.is_view || attnums == attnums_.end()) continue;
      const auto attnum = static_cast<std::size_t>(parseInt(rows.get(row, 1)));
      const auto& positions = attnums->second.column_of_attnum;
      if (attnum >= positions.size() || positions[attnum] < 0) continue;
      model::Schema& schema = schemas_[relation->second.schema];
      const model::Table& table = schema.tables[relation->second.index];
      const model::Column& column = table.columns[static_cast<std::size_t>(positions[attnum])];
      model::Sequence sequence;
      sequence.name = rows.get(row, 2);
      if (column.sequence == sequence.name) continue;  // the column's serial sequence
      sequence.owned_by_table = table.name;
      sequence.owned_by_column = column.name;
      sequence.sql_type = rows.get(row, 4);
      sequence.start = rows.get(row, 5);
      sequence.increment = rows.get(row, 6);
      sequence.min_value = rows.get(row, 7);
      sequence.max_value = rows.get(row, 8);
      sequence.cache = rows.get(row, 9);
      sequence.cycle = parseBool(rows.get(row, 10));
      schema.sequences.push_back(std::move(sequence));
    }
    for (model::Schema& schema : schemas_)
      std::sort(schema.sequences.begin(), schema.sequences.end(),
                [](const model::Sequence& a, const model::Sequence& b) { return a.name < b.name; });
  }

  void readColumns() {
    const catalog::Result& rows = queries_.columns;
    // Group rows by relation, then order each group by attribute number.
    std::unordered_map<std::uint32_t, std::vector<std::pair<int, int>>> by_relation;
    by_relation.reserve(relations_.size());
    for (int row = 0; row < rows.rows(); ++row) {
      std::uint32_t oid = parseOid(rows.get(row, 0));
      if (!relations_.contains(oid)) continue;
      by_relation[oid].emplace_back(parseInt(rows.get(row, 1)), row);
    }
    for (auto& [oid, members] : by_relation) {
      std::sort(members.begin(), members.end());
      const RelationRef& ref = relations_.at(oid);
      AttnumMap& attnums = attnums_[oid];
      attnums.column_of_attnum.assign(static_cast<std::size_t>(members.back().first) + 1, -1);
      if (ref.is_view) {
        model::View& view = schemas_[ref.schema].views[ref.index];
        view.columns.reserve(members.size());
        for (auto [attnum, row] : members) {
          attnums.column_of_attnum[static_cast<std::size_t>(attnum)] = static_cast<int>(view.columns.size());
          view.columns.push_back(model::ViewColumn{
              std::string(rows.get(row, 2)), std::string(rows.get(row, 3)), optionalText(rows, row, 8)});
        }
        continue;
      }
      model::Table& table = schemas_[ref.schema].tables[ref.index];
      table.columns.reserve(members.size());
      for (auto [attnum, row] : members) {
        attnums.column_of_attnum[static_cast<std::size_t>(attnum)] = static_cast<int>(table.columns.size());
        table.columns.push_back(readColumn(rows, row, oid, attnum, table.name));
      }
    }
  }

  model::Column readColumn(const catalog::Result& rows, int row, std::uint32_t oid, int attnum,
                           const std::string& table_name) {
    model::Column column;
    column.name = rows.get(row, 2);
    column.sql_type = rows.get(row, 3);
    column.nullable = !parseBool(rows.get(row, 4));
    column.sql_default = optionalText(rows, row, 5);
    column.description = optionalText(rows, row, 8);
    std::string_view identity = rows.get(row, 6);
    std::string_view generated = rows.get(row, 7);
    auto sequence = sequences_.find(columnKey(oid, attnum));
    if (identity == "a" || identity == "d") {
      column.generation =
          identity == "a" ? model::Generation::IdentityAlways : model::Generation::IdentityByDefault;
      if (sequence != sequences_.end() && sequence->second.identity) column.sequence = sequence->second.name;
    } else if (sequence != sequences_.end() && !sequence->second.identity && column.sql_default &&
               isNextvalOf(*column.sql_default, sequence->second.name)) {
      column.generation = model::Generation::Serial;
      column.sequence = sequence->second.name;
      column.sql_default.reset();
      column.autoincrement = true;
    }
    if (!generated.empty()) {
      // A stored generated column: the model has no place for its expression.
      notModelled("table", table_name, "the generation expression of column '" + column.name + "'");
      column.sql_default.reset();
    }
    inferFelisType(column);
    inferFelisValue(column);
    return column;
  }

  /// Column names of `oid` for attribute numbers; "" for unknown ones.
  std::string columnName(std::uint32_t oid, int attnum) const {
    auto it = attnums_.find(oid);
    if (it == attnums_.end() || attnum <= 0 ||
        static_cast<std::size_t>(attnum) >= it->second.column_of_attnum.size())
      return {};
    int index = it->second.column_of_attnum[static_cast<std::size_t>(attnum)];
    if (index < 0) return {};
    const RelationRef& ref = relations_.at(oid);
    if (ref.is_view)
      return schemas_[ref.schema].views[ref.index].columns[static_cast<std::size_t>(index)].name;
    return schemas_[ref.schema].tables[ref.index].columns[static_cast<std::size_t>(index)].name;
  }

  /// `{1,3}` (an int2[] of attribute numbers) -> the names of those columns of `oid`.
  std::vector<std::string> columnNames(std::uint32_t oid, std::string_view attnums) const {
    std::vector<std::string> names;
    auto items = catalog::parseTextArray(attnums);
    if (!items) return names;
    names.reserve(items->size());
    for (const std::string& attnum : *items) names.push_back(columnName(oid, parseInt(attnum)));
    return names;
  }

  void readConstraints() {
    // Result columns of sql::kConstraints.
    enum : int {
      kRelid,
      kName,
      kType,
      kKey,
      kRefSchema,
      kRefTable,
      kRefRelid,
      kRefKey,
      kOnDelete,
      kOnUpdate,
      kDeferrable,
      kDeferred,
      kDefinition,
      kDescription,
      kOutsideRefColumns
    };
    const catalog::Result& rows = queries_.constraints;
    for (int row = 0; row < rows.rows(); ++row) {
      std::uint32_t oid = parseOid(rows.get(row, kRelid));
      auto relation = relations_.find(oid);
      if (relation == relations_.end() || relation->second.is_view) continue;
      const RelationRef& ref = relation->second;
      model::Table& table = schemas_[ref.schema].tables[ref.index];
      std::string_view type = rows.get(row, kType);
      if (type == "p") {
        model::PrimaryKey key;
        key.name = rows.get(row, kName);
        key.columns = columnNames(oid, rows.get(row, kKey));
        key.description = optionalText(rows, row, kDescription);
        table.primary_key = std::move(key);
        continue;
      }
      model::Constraint constraint;
      constraint.name = rows.get(row, kName);
      constraint.columns = columnNames(oid, rows.get(row, kKey));
      constraint.deferrable = parseBool(rows.get(row, kDeferrable));
      constraint.initially_deferred = parseBool(rows.get(row, kDeferred));
      constraint.description = optionalText(rows, row, kDescription);
      if (type == "u") {
        constraint.kind = model::ConstraintKind::Unique;
        // The catalog holds it on its own, also beside a key on the same columns.
        constraint.stands_alone = true;
      } else if (type == "f") {
        constraint.kind = model::ConstraintKind::ForeignKey;
        std::string ref_schema(rows.get(row, kRefSchema));
        if (ref_schema != schemas_[ref.schema].name) constraint.ref_schema = std::move(ref_schema);
        constraint.ref_table = rows.get(row, kRefTable);
        // Named by the server when the target is not among the relations read.
        constraint.ref_columns = rows.isNull(row, kOutsideRefColumns)
                                     ? columnNames(parseOid(rows.get(row, kRefRelid)), rows.get(row, kRefKey))
                                     : textArray(rows, row, kOutsideRefColumns);
        constraint.on_delete = fkAction(rows.get(row, kOnDelete));
        constraint.on_update = fkAction(rows.get(row, kOnUpdate));
      } else if (type == "x") {
        notModelled("table", table.name, "exclusion constraint '" + constraint.name + "'");
        continue;
      } else {
        constraint.kind = model::ConstraintKind::Check;
        constraint.columns.clear();
        constraint.expression = checkExpression(rows.get(row, kDefinition));
      }
      table.constraints.push_back(std::move(constraint));
    }
  }

  void readIndexes() {
    const catalog::Result& rows = queries_.indexes;
    for (int row = 0; row < rows.rows(); ++row) {
      std::uint32_t oid = parseOid(rows.get(row, 0));
      auto relation = relations_.find(oid);
      if (relation == relations_.end()) continue;
      const RelationRef& ref = relation->second;
      model::Index index;
      index.name = rows.get(row, 1);
      index.unique = parseBool(rows.get(row, 2));
      index.method = rows.get(row, 3);
      int key_count = parseInt(rows.get(row, 4));
      std::vector<std::string> expressions = textArray(rows, row, 6);
      std::size_t next_expression = 0;
      std::string_view keys = rows.get(row, 5);  // int2vector: "1 0 3"
      for (int k = 0; k < key_count && !keys.empty(); ++k) {
        std::size_t space = keys.find(' ');
        int attnum = parseInt(keys.substr(0, space));
        keys = space == std::string_view::npos ? std::string_view{} : keys.substr(space + 1);
        if (attnum == 0) {
          std::string text =
              next_expression < expressions.size() ? expressions[next_expression++] : std::string();
          index.elements.push_back(model::IndexElement{std::move(text), true});
        } else {
          index.elements.push_back(model::IndexElement{columnName(oid, attnum), false});
        }
      }
      if (!rows.isNull(row, 7)) index.predicate = rows.get(row, 7);
      index.description = optionalText(rows, row, 8);
      const std::string& owner = ref.is_view ? schemas_[ref.schema].views[ref.index].name
                                             : schemas_[ref.schema].tables[ref.index].name;
      if (parseInt(rows.get(row, 9)) != key_count)
        notModelled(ref.is_view ? "view" : "table", owner, "the INCLUDE list of index '" + index.name + "'");
      if (rows.get(row, 10).find_first_not_of("0 ") != std::string_view::npos)
        notModelled(ref.is_view ? "view" : "table", owner,
                    "the sort order (DESC, NULLS FIRST) of index '" + index.name + "'");
      if (ref.is_view)
        schemas_[ref.schema].views[ref.index].indexes.push_back(std::move(index));
      else
        schemas_[ref.schema].tables[ref.index].indexes.push_back(std::move(index));
    }
  }

  void readGrants() {
    const catalog::Result& rows = queries_.grants;
    for (int row = 0; row < rows.rows(); ++row) {
      auto relation = relations_.find(parseOid(rows.get(row, 0)));
      if (relation == relations_.end()) continue;
      const RelationRef& ref = relation->second;
      model::Grant grant{std::string(rows.get(row, 2)), std::string(rows.get(row, 3)),
                         std::string(rows.get(row, 1)), parseBool(rows.get(row, 4))};
      if (ref.is_view)
        schemas_[ref.schema].views[ref.index].grants.push_back(std::move(grant));
      else
        schemas_[ref.schema].tables[ref.index].grants.push_back(std::move(grant));
    }
  }

  void readViewDependencies() {
    const catalog::Result& rows = queries_.view_dependencies;
    for (int row = 0; row < rows.rows(); ++row) {
      auto relation = relations_.find(parseOid(rows.get(row, 0)));
      if (relation == relations_.end() || !relation->second.is_view) continue;
      const RelationRef& ref = relation->second;
      schemas_[ref.schema].views[ref.index].depends_on.push_back(model::ViewDependency{
          std::string(rows.get(row, 1)), std::string(rows.get(row, 2)), std::string(rows.get(row, 3))});
    }
  }

  /// Puts every list the server returned in no particular order into byte order.
  void finish() {
    auto by_name = [](const auto& a, const auto& b) { return a.name < b.name; };
    auto grant_order = [](const model::Grant& a, const model::Grant& b) {
      return std::tie(a.column, a.grantee, a.privilege, a.grantable) <
             std::tie(b.column, b.grantee, b.privilege, b.grantable);
    };
    for (model::Schema& schema : schemas_) {
      for (model::Table& table : schema.tables) {
        std::sort(table.constraints.begin(), table.constraints.end(), by_name);
        std::sort(table.indexes.begin(), table.indexes.end(), by_name);
        std::sort(table.grants.begin(), table.grants.end(), grant_order);
      }
      for (model::View& view : schema.views) {
        std::sort(view.indexes.begin(), view.indexes.end(), by_name);
        std::sort(view.grants.begin(), view.grants.end(), grant_order);
        std::sort(view.options.begin(), view.options.end());
        std::sort(view.depends_on.begin(), view.depends_on.end(),
                  [](const model::ViewDependency& a, const model::ViewDependency& b) {
                    return std::tie(a.schema, a.relation, a.column) <
                           std::tie(b.schema, b.relation, b.column);
                  });
      }
    }
    result_.schemas = std::move(schemas_);
    std::sort(not_modelled_.begin(), not_modelled_.end());
    for (const auto& [kind, relation, what] : not_modelled_)
      result_.diagnostics.report(DiagId::warn_catalog_not_modelled, "", {}, {kind, relation, what});
  }

  struct OwnedSequence {
    std::string name;
    bool identity = false;
  };

  catalog::Connection& connection_;
  const std::vector<std::string>& schema_names_;
  bool own_transaction_ = true;
  QueryResults queries_;
  CatalogResult result_;
  std::vector<model::Schema> schemas_;
  std::unordered_map<std::string, std::size_t> schema_index_;
  std::unordered_map<std::uint32_t, RelationRef> relations_;
  std::unordered_map<std::uint32_t, AttnumMap> attnums_;
  std::unordered_map<std::uint64_t, OwnedSequence> sequences_;
  std::vector<std::tuple<std::string, std::string, std::string>> not_modelled_;
};

}  // namespace

CatalogResult readSchemas(catalog::Connection& connection, const std::vector<std::string>& schema_names,
                          ReadTransaction transaction) {
  return Reader(connection, schema_names, transaction).run();
}

CatalogResult readSchemas(const std::string& conninfo, const std::vector<std::string>& schema_names) {
  catalog::Error error;
  auto connection = catalog::Connection::open(conninfo, error);
  if (!connection) {
    CatalogResult result;
    result.diagnostics.report(DiagId::err_db_connect, "", {}, {error.message});
    return result;
  }
  return readSchemas(*connection, schema_names);
}

std::size_t queriesPerRead() { return sql::kReadSequence.size(); }

}  // namespace felisc::catalog
