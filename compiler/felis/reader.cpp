/// \file
/// The Felis reader, stage 1: a YAML tree into the schema model and its site map.
///
/// Every key of felis-format.md §1-§3 is read here with Felis's typing: YAML 1.1
/// scalars (resolveScalar), pydantic's lax coercion (a string field rejects a
/// number; an integer field takes `true`, `1.0` and `"5"`; a boolean field takes
/// 0/1, "true", "off"), whitespace stripped from string fields, each key also
/// accepted under its Python name, ID generation (§3). Stage 2 (felis_validator)
/// checks the rules that need the whole object or the whole schema.
///
/// Where felisc deliberately differs from felis v30.0.11 (for the README):
///
///  1. `id:`, the Python name of `@id`, is accepted as the alias it is. felis with
///     ID generation on (the CLI default) adds a generated `@id` beside it and then
///     rejects `id` as an extra key; felisc uses the given id and generates none.
///     Writing both `@id` and `id` (or any key under both spellings) is an error.
///  2. An unknown `datatype` is a diagnostic; `felis validate` crashes (TypeError).
///  3. All errors of a file are reported in one run. felis stops the checks of
///     every enclosing object at the first error inside it, so its schema-wide
///     errors (duplicate IDs, constraint references) appear only once every table
///     is otherwise valid.
///  4. References felis never checks are resolved and checked: `primaryKey` and
///     index `columns` @ids (felis: a bare KeyError at create time) must name
///     columns of the same table; a foreign key's referenced columns must all be
///     in one table.
///  5. `autoincrement: true` on a primary key column that is not byte/short/int/long
///     is an error (felis fails at create time, or makes a float/double key SERIAL);
///     on a column outside the primary key it is a warning (felis ignores it).
///  6. An empty Unique `columns`, an index with `columns: null`, and a column
///     listed twice in a primary key, unique constraint or referenced columns are
///     errors: PostgreSQL rejects the DDL felis would emit.
///  7. A column copied by `columnRefs` whose name collides with another column of
///     the table is an error; felis runs its duplicate-name check before copying
///     and emits a CREATE TABLE that fails.
///  8. PostgreSQL checks felis lacks: identifiers longer than 63 bytes (schema,
///     table, column, constraint, index), and name collisions in the per-schema
///     relation namespace (tables, indexes, unique constraints, and a named
///     relation created after a primary key took its `<table>_pkey` name).
///  9. With `strict_felis` off (create, diff), a constraint name used again in
///     another table is a warning when PostgreSQL accepts it (foreign key and check
///     constraint names are per table); felis rejects it, although older felis
///     accepted it (history/cdb_latiss 02-09). Unique constraint names are index
///     names, unique per schema: reusing one stays an error.
/// 10. Warnings of a resource file (e.g. a length on a type without one) are not
///     repeated in every file that references it.
/// 11. An integer `votable:arraysize` is read as a string with a warning, like
///     felis, but the derived arraysize and `votable:xtype` defaults felis fills
///     for TAP are not added: the model keeps what the file says.
/// 12. Index `expressions` stay expressions in the model. felis hands each one
///     to SQLAlchemy as a column name, so a real expression fails at create time.
/// 13. With `strict_felis` off (create, diff, migrate), an unknown key whose
///     closest spelling is an annotation (`deescription`, `fits.tunit`: real keys
///     of old apdb.yaml versions) is a warning: it changes no DDL. `validate`
///     keeps it an error, as felis reports it.
///
/// What felisc does not check, and felis does: UCDs against the UCD1+
/// vocabulary and units with astropy (felisc checks only that `fits:tunit` and
/// `ivoa:unit` are not both set); the column rules of a column written inline in
/// a column group (its keys and types are checked). `--check-redundant-datatypes`
/// compares type names as SQLAlchemy compiles the common types, not with
/// SQLAlchemy itself. Resource URIs are file paths or file:// URIs only (felis
/// takes any lsst.resources URI). `--check-tap-principal` counts columnRefs
/// copies as columns of their table.
#include "compiler/felis/reader.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/felis/resources.h"
#include "compiler/felis/validator.h"
#include "compiler/felis/yaml_tree.h"
#include "schema_model/resolve.h"
#include "schema_model/source_file.h"
#include "schema_model/type_mapping.h"

namespace felisc::felis {

namespace {

using model::DiagId;
using model::SourcePos;

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

enum class Key : std::uint8_t {
  Name,
  Id,
  Description,
  VotableUtype,
  Version,
  Tables,
  Resources,
  Columns,
  PrimaryKey,
  Constraints,
  Indexes,
  ColumnGroups,
  ColumnRefs,
  TapTableIndex,
  MysqlEngine,
  MysqlCharset,
  Datatype,
  Length,
  Precision,
  Nullable,
  Value,
  Autoincrement,
  IvoaUcd,
  IvoaUnit,
  FitsTunit,
  TapPrincipal,
  TapStd,
  TapColumnIndex,
  VotableArraysize,
  VotableXtype,
  VotableDatatype,
  MysqlDatatype,
  PostgresqlDatatype,
  Type,
  Deferrable,
  Initially,
  ReferencedColumns,
  OnDelete,
  OnUpdate,
  Expression,
  Expressions,
};

/// A key of a Felis object: its Felis spelling and its Python field name (the
/// alias pydantic also accepts, `populate_by_name`), empty when they are equal.
struct KeySpec {
  std::string_view name;
  std::string_view alias;
  Key key;
};

#define FELISC_BASE_KEYS                                         \
  KeySpec{"name", "", Key::Name}, KeySpec{"@id", "id", Key::Id}, \
      KeySpec{"description", "", Key::Description}, KeySpec {    \
    "votable:utype", "votable_utype", Key::VotableUtype          \
  }

constexpr KeySpec kSchemaKeys[] = {
    FELISC_BASE_KEYS,
    {"version", "", Key::Version},
    {"tables", "", Key::Tables},
    {"resources", "", Key::Resources},
};

constexpr KeySpec kTableKeys[] = {
    FELISC_BASE_KEYS,
    {"columns", "", Key::Columns},
    {"primaryKey", "primary_key", Key::PrimaryKey},
    {"constraints", "", Key::Constraints},
    {"indexes", "", Key::Indexes},
    {"columnGroups", "column_groups", Key::ColumnGroups},
    {"columnRefs", "column_refs", Key::ColumnRefs},
    {"tap:table_index", "tap_table_index", Key::TapTableIndex},
    {"mysql:engine", "mysql_engine", Key::MysqlEngine},
    {"mysql:charset", "mysql_charset", Key::MysqlCharset},
};

constexpr KeySpec kColumnKeys[] = {
    FELISC_BASE_KEYS,
    {"datatype", "", Key::Datatype},
    {"length", "", Key::Length},
    {"precision", "", Key::Precision},
    {"nullable", "", Key::Nullable},
    {"value", "", Key::Value},
    {"autoincrement", "", Key::Autoincrement},
    {"ivoa:ucd", "ivoa_ucd", Key::IvoaUcd},
    {"ivoa:unit", "ivoa_unit", Key::IvoaUnit},
    {"fits:tunit", "fits_tunit", Key::FitsTunit},
    {"tap:principal", "tap_principal", Key::TapPrincipal},
    {"tap:std", "tap_std", Key::TapStd},
    {"tap:column_index", "tap_column_index", Key::TapColumnIndex},
    {"votable:arraysize", "votable_arraysize", Key::VotableArraysize},
    {"votable:xtype", "votable_xtype", Key::VotableXtype},
    {"votable:datatype", "votable_datatype", Key::VotableDatatype},
    {"mysql:datatype", "mysql_datatype", Key::MysqlDatatype},
    {"postgresql:datatype", "postgresql_datatype", Key::PostgresqlDatatype},
};

#define FELISC_CONSTRAINT_KEYS                                                                       \
  FELISC_BASE_KEYS, KeySpec{"@type", "type", Key::Type}, KeySpec{"deferrable", "", Key::Deferrable}, \
      KeySpec {                                                                                      \
    "initially", "", Key::Initially                                                                  \
  }

constexpr KeySpec kUniqueKeys[] = {FELISC_CONSTRAINT_KEYS, {"columns", "", Key::Columns}};

constexpr KeySpec kForeignKeyKeys[] = {
    FELISC_CONSTRAINT_KEYS,
    {"columns", "", Key::Columns},
    {"referencedColumns", "referenced_columns", Key::ReferencedColumns},
    {"on_delete", "", Key::OnDelete},
    {"on_update", "", Key::OnUpdate},
};

constexpr KeySpec kCheckKeys[] = {FELISC_CONSTRAINT_KEYS, {"expression", "", Key::Expression}};

/// Every constraint key, for a constraint whose `@type` is missing or wrong.
constexpr KeySpec kAnyConstraintKeys[] = {
    FELISC_CONSTRAINT_KEYS,
    {"columns", "", Key::Columns},
    {"referencedColumns", "referenced_columns", Key::ReferencedColumns},
    {"on_delete", "", Key::OnDelete},
    {"on_update", "", Key::OnUpdate},
    {"expression", "", Key::Expression},
};

constexpr KeySpec kIndexKeys[] = {
    FELISC_BASE_KEYS,
    {"columns", "", Key::Columns},
    {"expressions", "", Key::Expressions},
};

constexpr KeySpec kGroupKeys[] = {
    FELISC_BASE_KEYS,
    {"columns", "", Key::Columns},
    {"ivoa:ucd", "ivoa_ucd", Key::IvoaUcd},
};

constexpr KeySpec kOverrideKeys[] = {
    {"datatype", "", Key::Datatype},
    {"length", "", Key::Length},
    {"description", "", Key::Description},
    {"nullable", "", Key::Nullable},
    {"tap:principal", "tap_principal", Key::TapPrincipal},
    {"tap:column_index", "tap_column_index", Key::TapColumnIndex},
};

#undef FELISC_CONSTRAINT_KEYS
#undef FELISC_BASE_KEYS

constexpr std::string_view kDatatypeList =
    "boolean, byte, short, int, long, float, double, char, string, unicode, text, binary, timestamp";

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/// Length of the Unicode whitespace character (Python's str.isspace) at the
/// start of `text`, 0 if none.
std::size_t whitespaceAt(std::string_view text) {
  if (text.empty()) return 0;
  const auto c0 = static_cast<unsigned char>(text[0]);
  if (c0 == ' ' || (c0 >= 0x09 && c0 <= 0x0D) || (c0 >= 0x1C && c0 <= 0x1F)) return 1;
  if (c0 < 0x80) return 0;
  auto byte = [&](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u; };
  if (c0 == 0xC2 && (byte(1) == 0x85 || byte(1) == 0xA0)) return 2;  // U+0085, U+00A0
  if (c0 == 0xE1 && byte(1) == 0x9A && byte(2) == 0x80) return 3;    // U+1680
  if (c0 == 0xE2 && byte(1) == 0x80 &&
      (byte(2) <= 0x8A || byte(2) == 0xA8 || byte(2) == 0xA9 || byte(2) == 0xAF))
    return byte(2) >= 0x80 ? 3 : 0;                                // U+2000-200A, 2028, 2029, 202F
  if (c0 == 0xE2 && byte(1) == 0x81 && byte(2) == 0x9F) return 3;  // U+205F
  if (c0 == 0xE3 && byte(1) == 0x80 && byte(2) == 0x80) return 3;  // U+3000
  return 0;
}

/// Length of the whitespace character that ends `text`, 0 if none.
std::size_t whitespaceBefore(std::string_view text) {
  for (std::size_t width = 1; width <= 3 && width <= text.size(); ++width) {
    std::string_view tail = text.substr(text.size() - width);
    if (whitespaceAt(tail) == width) return width;
  }
  return 0;
}

/// pydantic's `str_strip_whitespace`: Unicode whitespace off both ends.
std::string_view stripWhitespace(std::string_view text) {
  while (std::size_t width = whitespaceAt(text)) text.remove_prefix(width);
  while (std::size_t width = whitespaceBefore(text)) text.remove_suffix(width);
  return text;
}

/// How a node is described in "must be X, not Y".
std::string describeValue(const YamlNode& node, const ResolvedScalar* scalar) {
  if (node.kind == YamlNode::Kind::Mapping) return "a mapping";
  if (node.kind == YamlNode::Kind::Sequence) return "a list";
  if (scalar == nullptr) return "a scalar";
  switch (scalar->kind) {
    case ResolvedScalar::Kind::Null: return "null";
    case ResolvedScalar::Kind::Boolean: return "a boolean (" + scalar->text + ")";
    case ResolvedScalar::Kind::Integer: return "an integer (" + scalar->text + ")";
    case ResolvedScalar::Kind::Float: return "a float (" + scalar->text + ")";
    case ResolvedScalar::Kind::Timestamp: return "a date (" + std::string(node.value) + ")";
    case ResolvedScalar::Kind::String: return "a string ('" + scalar->text + "')";
  }
  return "a scalar";
}

/// Parses pydantic's lax integer string: optional whitespace, sign, digits
/// (underscores between digits), an optional `.0...` fraction.
std::optional<std::int64_t> parseIntegerString(std::string_view text) {
  text = stripWhitespace(text);
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (auto dot = text.find('.'); dot != std::string_view::npos) {
    std::string_view fraction = text.substr(dot + 1);
    if (fraction.find_first_not_of('0') != std::string_view::npos) return std::nullopt;
    text = text.substr(0, dot);
  }
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  bool previous_digit = false;
  for (char c : text) {
    if (c == '_' && previous_digit) {
      previous_digit = false;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (value > (std::numeric_limits<std::uint64_t>::max() - 9) / 10) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
    previous_digit = true;
  }
  if (!previous_digit) return std::nullopt;
  const auto limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (value > limit + (negative ? 1 : 0)) return std::nullopt;
  if (negative)
    return value == limit + 1 ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(value);
  return static_cast<std::int64_t>(value);
}

/// pydantic's lax boolean strings.
std::optional<bool> parseBooleanString(std::string_view text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (std::string_view yes : {"1", "on", "t", "true", "y", "yes"})
    if (lower == yes) return true;
  for (std::string_view no : {"0", "off", "f", "false", "n", "no"})
    if (lower == no) return false;
  return std::nullopt;
}

/// The object a diagnostic is about, formatted only when something is reported.
struct What {
  std::string_view kind;   ///< "column", "table", "schema", ...
  std::string_view scope;  ///< the table of a column or group; empty otherwise
  std::string_view name;   ///< empty when the object has no name
  bool named = false;

  [[nodiscard]] std::string text() const {
    if (!named) {
      if (scope.empty()) return std::string("a ") + std::string(kind);
      return std::string("a ") + std::string(kind) + " of table '" + std::string(scope) + "'";
    }
    std::string out(kind);
    out += " '";
    if (!scope.empty()) {
      out += scope;
      out += '.';
    }
    out += name;
    out += '\'';
    return out;
  }
};

/// One key of a mapping, matched to its spec. PyYAML keeps a duplicated key at
/// its first position with its last value, and so does this.
struct Field {
  const KeySpec* spec = nullptr;
  bool alias = false;
  NodeIndex key_node = 0;
  NodeIndex value_node = 0;
};

class Fields {
 public:
  void add(const Field& field) {
    for (std::size_t i = 0; i < count_; ++i) {
      if (items_[i].spec == field.spec) {
        items_[i].value_node = field.value_node;  // last value wins, first position stays
        items_[i].alias = field.alias;
        return;
      }
    }
    if (count_ < items_.size()) items_[count_++] = field;
  }
  [[nodiscard]] const Field* find(Key key) const {
    for (std::size_t i = 0; i < count_; ++i)
      if (items_[i].spec->key == key) return &items_[i];
    return nullptr;
  }
  [[nodiscard]] std::span<const Field> all() const { return {items_.data(), count_}; }

  /// Keys that match no spec, and keys given under their second spelling too;
  /// reported once the object's name is known.
  std::vector<NodeIndex> unknown;
  std::vector<std::pair<NodeIndex, const KeySpec*>> conflicts;

 private:
  std::array<Field, 32> items_{};
  std::size_t count_ = 0;
};

/// A column group entry before its site is known.
struct PendingColumn {
  model::Column column;
  ColumnSite site;
};

// ---------------------------------------------------------------------------
// The reader
// ---------------------------------------------------------------------------

class Reader {
 public:
  Reader(const YamlDocument& document, const ReadOptions& options, DiagnosticBuffer& diagnostics)
      : doc_(document), options_(options), diag_(diagnostics) {}

  void readSchema(model::Schema& schema, SchemaSite& site);

  std::vector<ResourceDecl> resources;
  std::vector<ColumnRefRequest> column_refs;

 private:
  const YamlNode& node(NodeIndex index) const { return doc_.node(index); }
  NodeIndex indexOf(const YamlNode& n) const { return static_cast<NodeIndex>(&n - doc_.nodes_.data()); }

  /// Matches the keys of `mapping` against `specs`.
  Fields collect(const YamlNode& mapping, std::span<const KeySpec> specs) const;
  /// Reports the unknown keys and keys given under both spellings of `fields`.
  void reportKeyProblems(const Fields& fields, std::span<const KeySpec> specs, const What& what);
  void reportUnknownKey(const YamlNode& key, std::span<const KeySpec> specs, const What& what);

  void wrongType(const Field& field, const What& what, std::string_view expected,
                 const ResolvedScalar* scalar);
  std::string_view keyText(const Field& field) const { return node(field.key_node).value; }

  enum class Got { Value, Null, Bad };
  Got getString(const Field& field, const What& what, std::string& out, bool strip = true);
  Got getInteger(const Field& field, const What& what, std::int64_t& out);
  Got getBoolean(const Field& field, const What& what, bool& out);
  /// A required, non-null string (name, @id, datatype, expression).
  bool getRequiredString(const Field& field, const What& what, std::string& out, bool strip = true);
  /// A list of strings; a single string too when `allow_single` (primaryKey).
  bool getStringList(const Field& field, const What& what, std::vector<IdRef>& out, bool allow_single,
                     bool strip = true);
  /// A sequence node, or a report; null gives an empty sequence when `allow_null`.
  const YamlNode* getSequence(const Field& field, const What& what, bool allow_null);

  void readName(const Fields& fields, const What& what, std::string& name, ObjectSite& site);
  void readId(const Fields& fields, const What& what, std::string& id, ObjectSite& site,
              const std::string* generated, bool felis_generates = true);
  void readDescription(const Fields& fields, const What& what, std::optional<std::string>& description);
  void addStringAnnotation(const Field& field, const What& what, std::vector<model::Annotation>& annotations);
  void addIntegerAnnotation(const Field& field, const What& what, std::vector<model::Annotation>& annotations,
                            bool zero_or_one);
  void addArraysize(const Field& field, const What& what, std::vector<model::Annotation>& annotations);
  void recordKeys(const Fields& fields, ObjectSite& site) const;

  void readVersion(const Field& field, const What& what, model::Schema& schema);
  void readResources(const Field& field, const What& what);
  void readTable(const YamlNode& mapping, std::size_t table_index, model::Table& table, TableSite& site);
  bool readColumn(const YamlNode& mapping, std::string_view table_name, bool generate_id,
                  model::Column& column, ColumnSite& site, bool inline_in_group = false);
  bool readConstraint(const YamlNode& mapping, const What& table_what, model::Constraint& constraint,
                      ConstraintSite& site);
  bool readIndex(const YamlNode& mapping, model::Index& index, IndexSite& site);
  bool readGroup(const YamlNode& mapping, std::string_view table_name, model::ColumnGroup& group,
                 GroupSite& site);
  void readColumnRefs(const Field& field, const What& what, std::size_t table_index);
  void readOverrides(const YamlNode& mapping, const What& what, ColumnOverrides& overrides);
  std::optional<model::FelisType> readDatatype(const Field& field, const What& what);

  const YamlDocument& doc_;
  const ReadOptions& options_;
  DiagnosticBuffer& diag_;
};

// --- keys -------------------------------------------------------------------

Fields Reader::collect(const YamlNode& mapping, std::span<const KeySpec> specs) const {
  Fields fields;
  const auto& children = mapping.children;
  for (std::size_t i = 0; i + 1 < children.size(); i += 2) {
    const YamlNode& key = node(children[i]);
    const KeySpec* match = nullptr;
    bool alias = false;
    // Felis keys are words that YAML 1.1 never types as anything but strings,
    // so comparing the text is enough; a tagged key never matches.
    if (key.kind == YamlNode::Kind::Scalar && key.tag.empty() && !key.value.empty()) {
      // This runs for every key of the file: compare the first byte before the rest.
      const std::string_view text = key.value;
      auto same = [&](std::string_view candidate) {
        return candidate.size() == text.size() && candidate[0] == text[0] && candidate == text;
      };
      for (const KeySpec& spec : specs) {
        if (same(spec.name)) {
          match = &spec;
          break;
        }
        if (!spec.alias.empty() && same(spec.alias)) {
          match = &spec;
          alias = true;
          break;
        }
      }
    }
    if (match == nullptr) {
      fields.unknown.push_back(children[i]);
      continue;
    }
    if (const Field* previous = fields.find(match->key); previous != nullptr && previous->alias != alias) {
      fields.conflicts.emplace_back(children[i], match);
      continue;
    }
    fields.add(Field{match, alias, children[i], children[i + 1]});
  }
  return fields;
}

void Reader::reportKeyProblems(const Fields& fields, std::span<const KeySpec> specs, const What& what) {
  if (fields.unknown.empty() && fields.conflicts.empty()) return;
  const std::string text = what.text();
  for (NodeIndex key : fields.unknown) reportUnknownKey(node(key), specs, what);
  for (const auto& [key, spec] : fields.conflicts)
    diag_.report(DiagId::err_alias_conflict, node(key).pos, {spec->name, spec->alias, text});
}

void Reader::reportUnknownKey(const YamlNode& key, std::span<const KeySpec> specs, const What& what) {
  if (key.kind != YamlNode::Kind::Scalar) {
    diag_.report(DiagId::err_unknown_key, key.pos,
                 {key.kind == YamlNode::Kind::Mapping ? "{...}" : "[...]", what.text()});
    return;
  }
  // "did you mean": the closest spelling within 2 edits, if that is less than
  // half the key (so that 'ab' is not taken for '@id').
  std::string_view best;
  std::size_t best_distance = 3;
  for (const KeySpec& spec : specs) {
    for (std::string_view candidate : {spec.name, spec.alias}) {
      if (candidate.empty()) continue;
      std::size_t distance = editDistance(key.value, candidate, 2);
      if (distance < best_distance) {
        best_distance = distance;
        best = spec.name;
      }
    }
  }
  if (!best.empty() && 2 * best_distance < key.value.size()) {
    // Old files (rule 13): a misspelled annotation key ('deescription', 'fits.tunit'
    // in old apdb.yaml versions) changes no DDL, and the felis of its day accepted it.
    const bool annotation = best == "description" || best.starts_with("fits:") || best.starts_with("ivoa:") ||
                            best.starts_with("votable:") || best.starts_with("tap:");
    if (annotation && !options_.strict_felis) {
      diag_.report(DiagId::err_unknown_key_suggest, model::Severity::Warning, key.pos,
                   {key.value, what.text(), best});
      return;
    }
    diag_.report(DiagId::err_unknown_key_suggest, key.pos, {key.value, what.text(), best});
  } else {
    diag_.report(DiagId::err_unknown_key, key.pos, {key.value, what.text()});
  }
}

void Reader::recordKeys(const Fields& fields, ObjectSite& site) const {
  site.keys.reserve(fields.all().size());
  for (const Field& field : fields.all()) site.keys.emplace_back(field.spec->name, node(field.key_node).pos);
}

// --- typed values ---------------------------------------------------------------

void Reader::wrongType(const Field& field, const What& what, std::string_view expected,
                       const ResolvedScalar* scalar) {
  const YamlNode& value = node(field.value_node);
  diag_.report(DiagId::err_wrong_type_in, value.pos,
               {keyText(field), what.text(), expected, describeValue(value, scalar)});
}

Reader::Got Reader::getString(const Field& field, const What& what, std::string& out, bool strip) {
  const YamlNode& value = node(field.value_node);
  if (value.kind != YamlNode::Kind::Scalar) {
    wrongType(field, what, "a string", nullptr);
    return Got::Bad;
  }
  if ((value.style == YamlNode::Style::Plain || !value.tag.empty()) && !isStringScalar(value)) {
    ResolvedScalar scalar = resolveScalar(value);
    if (scalar.kind == ResolvedScalar::Kind::Null) return Got::Null;
    if (scalar.kind != ResolvedScalar::Kind::String) {
      wrongType(field, what, "a string", &scalar);
      return Got::Bad;
    }
  }
  out = strip ? std::string(stripWhitespace(value.value)) : value.value;
  return Got::Value;
}

bool Reader::getRequiredString(const Field& field, const What& what, std::string& out, bool strip) {
  Got got = getString(field, what, out, strip);
  if (got == Got::Null) {
    ResolvedScalar null_scalar;
    null_scalar.kind = ResolvedScalar::Kind::Null;
    wrongType(field, what, "a string", &null_scalar);
  }
  return got == Got::Value;
}

Reader::Got Reader::getInteger(const Field& field, const What& what, std::int64_t& out) {
  const YamlNode& value = node(field.value_node);
  if (value.kind != YamlNode::Kind::Scalar) {
    wrongType(field, what, "an integer", nullptr);
    return Got::Bad;
  }
  ResolvedScalar scalar = resolveScalar(value);
  switch (scalar.kind) {
    case ResolvedScalar::Kind::Null: return Got::Null;
    case ResolvedScalar::Kind::Integer:
      if (scalar.integer_overflow) break;
      out = scalar.integer;
      return Got::Value;
    case ResolvedScalar::Kind::Boolean: out = scalar.boolean ? 1 : 0; return Got::Value;
    case ResolvedScalar::Kind::Float:
      if (std::isfinite(scalar.real) && std::trunc(scalar.real) == scalar.real &&
          std::fabs(scalar.real) < 9.2e18) {
        out = static_cast<std::int64_t>(scalar.real);
        return Got::Value;
      }
      break;
    case ResolvedScalar::Kind::String:
      if (auto parsed = parseIntegerString(scalar.text)) {
        out = *parsed;
        return Got::Value;
      }
      break;
    case ResolvedScalar::Kind::Timestamp: break;
  }
  wrongType(field, what, "an integer", &scalar);
  return Got::Bad;
}

Reader::Got Reader::getBoolean(const Field& field, const What& what, bool& out) {
  const YamlNode& value = node(field.value_node);
  if (value.kind != YamlNode::Kind::Scalar) {
    wrongType(field, what, "a boolean", nullptr);
    return Got::Bad;
  }
  ResolvedScalar scalar = resolveScalar(value);
  switch (scalar.kind) {
    case ResolvedScalar::Kind::Null: return Got::Null;
    case ResolvedScalar::Kind::Boolean: out = scalar.boolean; return Got::Value;
    case ResolvedScalar::Kind::Integer:
      if (!scalar.integer_overflow && (scalar.integer == 0 || scalar.integer == 1)) {
        out = scalar.integer == 1;
        return Got::Value;
      }
      break;
    case ResolvedScalar::Kind::Float:
      if (scalar.real == 0.0 || scalar.real == 1.0) {
        out = scalar.real == 1.0;
        return Got::Value;
      }
      break;
    case ResolvedScalar::Kind::String:
      if (auto parsed = parseBooleanString(scalar.text)) {
        out = *parsed;
        return Got::Value;
      }
      break;
    case ResolvedScalar::Kind::Timestamp: break;
  }
  wrongType(field, what, "a boolean", &scalar);
  return Got::Bad;
}

const YamlNode* Reader::getSequence(const Field& field, const What& what, bool allow_null) {
  const YamlNode& value = node(field.value_node);
  if (value.kind == YamlNode::Kind::Sequence) return &value;
  ResolvedScalar scalar;
  if (value.kind == YamlNode::Kind::Scalar) {
    scalar = resolveScalar(value);
    if (allow_null && scalar.kind == ResolvedScalar::Kind::Null) return nullptr;
  }
  wrongType(field, what, "a list", value.kind == YamlNode::Kind::Scalar ? &scalar : nullptr);
  return nullptr;
}

bool Reader::getStringList(const Field& field, const What& what, std::vector<IdRef>& out, bool allow_single,
                           bool strip) {
  const YamlNode& value = node(field.value_node);
  if (allow_single && value.kind == YamlNode::Kind::Scalar) {
    std::string text;
    Got got = getString(field, what, text, strip);
    if (got == Got::Value) out.push_back(IdRef{std::move(text), value.pos});
    return got != Got::Bad;
  }
  if (value.kind != YamlNode::Kind::Sequence) {
    ResolvedScalar scalar;
    if (value.kind == YamlNode::Kind::Scalar) scalar = resolveScalar(value);
    wrongType(field, what, allow_single ? "a string or a list of strings" : "a list of strings",
              value.kind == YamlNode::Kind::Scalar ? &scalar : nullptr);
    return false;
  }
  bool ok = true;
  out.reserve(value.children.size());
  for (NodeIndex item_index : value.children) {
    const YamlNode& item = node(item_index);
    Field item_field{field.spec, field.alias, field.key_node, item_index};
    std::string text;
    Got got = getString(item_field, what, text, strip);
    if (got == Got::Null) {
      ResolvedScalar null_scalar;
      null_scalar.kind = ResolvedScalar::Kind::Null;
      wrongType(item_field, what, "a list of strings", &null_scalar);
    }
    if (got != Got::Value) {
      ok = false;
      continue;
    }
    out.push_back(IdRef{std::move(text), item.pos});
  }
  return ok;
}

// --- shared object keys ---------------------------------------------------------

void Reader::readName(const Fields& fields, const What& what, std::string& name, ObjectSite& site) {
  const Field* field = fields.find(Key::Name);
  if (field == nullptr) {
    diag_.report(DiagId::err_missing_key, site.pos, {"name", what.text()});
    return;
  }
  site.has_name = getRequiredString(*field, what, name);
}

void Reader::readId(const Fields& fields, const What& what, std::string& id, ObjectSite& site,
                    const std::string* generated, bool felis_generates) {
  if (const Field* field = fields.find(Key::Id)) {
    site.has_id = getRequiredString(*field, what, id);
    return;
  }
  if (generated != nullptr) {
    id = *generated;
    site.has_id = true;
    return;
  }
  // With ID generation on, an @id can only be missing because a name is (this
  // object's or its table's), which is reported already; felis's generator
  // fails on the name first. Inline columns of groups get no generated @id.
  if (!options_.id_generation || !felis_generates)
    diag_.report(DiagId::err_missing_key, site.pos, {"@id", what.text()});
}

void Reader::readDescription(const Fields& fields, const What& what,
                             std::optional<std::string>& description) {
  const Field* field = fields.find(Key::Description);
  if (field == nullptr) return;
  std::string text;
  if (getString(*field, what, text) == Got::Value) description = std::move(text);
}

void Reader::addStringAnnotation(const Field& field, const What& what,
                                 std::vector<model::Annotation>& annotations) {
  std::string text;
  Got got = getString(field, what, text);
  if (got == Got::Bad) return;
  model::Scalar value;
  if (got == Got::Value) value = model::Scalar{model::Scalar::Kind::String, std::move(text)};
  annotations.push_back(model::Annotation{std::string(field.spec->name), std::move(value)});
}

void Reader::addIntegerAnnotation(const Field& field, const What& what,
                                  std::vector<model::Annotation>& annotations, bool zero_or_one) {
  std::int64_t number = 0;
  Got got = getInteger(field, what, number);
  if (got == Got::Bad) return;
  model::Scalar value;
  if (got == Got::Value) {
    if (zero_or_one && number != 0 && number != 1) {
      diag_.report(DiagId::err_out_of_range, node(field.value_node).pos,
                   {keyText(field), what.text(), "0 or 1", std::to_string(number)});
      return;
    }
    value = model::Scalar{model::Scalar::Kind::Integer, std::to_string(number)};
  }
  annotations.push_back(model::Annotation{std::string(field.spec->name), std::move(value)});
}

void Reader::addArraysize(const Field& field, const What& what, std::vector<model::Annotation>& annotations) {
  const YamlNode& value = node(field.value_node);
  if (value.kind == YamlNode::Kind::Scalar && (value.style == YamlNode::Style::Plain || !value.tag.empty())) {
    ResolvedScalar scalar = resolveScalar(value);
    if (scalar.kind == ResolvedScalar::Kind::Integer) {
      diag_.report(DiagId::warn_integer_arraysize, value.pos, {what.text(), scalar.text});
      annotations.push_back(model::Annotation{std::string(field.spec->name),
                                              model::Scalar{model::Scalar::Kind::String, scalar.text}});
      return;
    }
  }
  std::string text;
  Got got = getString(field, what, text);
  if (got == Got::Bad) {
    return;
  }
  model::Scalar annotation_value;
  if (got == Got::Value) annotation_value = model::Scalar{model::Scalar::Kind::String, std::move(text)};
  annotations.push_back(model::Annotation{std::string(field.spec->name), std::move(annotation_value)});
}

std::optional<model::FelisType> Reader::readDatatype(const Field& field, const What& what) {
  std::string text;
  if (!getRequiredString(field, what, text)) return std::nullopt;
  auto type = model::parseFelisType(text);
  if (!type) diag_.report(DiagId::err_unknown_datatype, node(field.value_node).pos, {text, kDatatypeList});
  return type;
}

// --- schema -------------------------------------------------------------------

void Reader::readSchema(model::Schema& schema, SchemaSite& site) {
  const YamlNode& root = doc_.root();
  site.pos = root.pos;
  schema.pos = root.pos;
  if (root.kind != YamlNode::Kind::Mapping) {
    ResolvedScalar scalar;
    if (root.kind == YamlNode::Kind::Scalar) scalar = resolveScalar(root);
    diag_.report(DiagId::err_document_not_mapping, root.pos,
                 {describeValue(root, root.kind == YamlNode::Kind::Scalar ? &scalar : nullptr)});
    return;
  }
  What what{"schema", {}, {}, false};
  Fields fields = collect(root, kSchemaKeys);
  recordKeys(fields, site);
  readName(fields, what, schema.name, site);
  what.name = schema.name;
  what.named = site.has_name;
  reportKeyProblems(fields, kSchemaKeys, what);
  std::string generated;
  if (options_.id_generation && site.has_name) generated = "#" + schema.name;
  readId(fields, what, schema.id, site, generated.empty() ? nullptr : &generated);
  readDescription(fields, what, schema.description);

  for (const Field& field : fields.all()) {
    switch (field.spec->key) {
      case Key::VotableUtype: addStringAnnotation(field, what, schema.annotations); break;
      case Key::Version: readVersion(field, what, schema); break;
      case Key::Resources: readResources(field, what); break;
      default: break;
    }
  }

  const Field* tables = fields.find(Key::Tables);
  if (tables == nullptr) {
    diag_.report(DiagId::err_missing_key, root.pos, {"tables", what.text()});
    return;
  }
  const YamlNode* list = getSequence(*tables, what, false);
  if (list == nullptr) return;
  schema.tables.reserve(list->children.size());
  site.tables.reserve(list->children.size());
  for (NodeIndex item : list->children) {
    const YamlNode& mapping = node(item);
    if (mapping.kind != YamlNode::Kind::Mapping) {
      wrongType(Field{tables->spec, false, tables->key_node, item}, what, "a list of table mappings",
                nullptr);
      continue;
    }
    model::Table table;
    TableSite table_site;
    readTable(mapping, schema.tables.size(), table, table_site);
    schema.tables.push_back(std::move(table));
    site.tables.push_back(std::move(table_site));
  }
}

void Reader::readVersion(const Field& field, const What& what, model::Schema& schema) {
  const YamlNode& value = node(field.value_node);
  if (value.kind == YamlNode::Kind::Scalar) {
    std::string text;
    Got got = getString(field, what, text);
    if (got == Got::Value) schema.version = model::SchemaVersion{std::move(text), {}, {}, false};
    return;
  }
  if (value.kind != YamlNode::Kind::Mapping) {
    wrongType(field, what, "a string or a mapping", nullptr);
    return;
  }
  // SchemaVersion is a plain pydantic model: unknown keys are ignored and
  // strings are not stripped.
  model::SchemaVersion version;
  version.is_mapping = true;
  What version_what{"version", {}, {}, false};
  version_what.kind = "the version";
  const YamlNode* current = doc_.get(value, "current");
  if (current == nullptr) {
    diag_.report(DiagId::err_missing_key, value.pos, {"current", "the schema version"});
  } else {
    Field current_field{field.spec, false, indexOf(*current) - 1, indexOf(*current)};
    // The key node precedes its value in the mapping; find it for the message.
    for (std::size_t i = 0; i + 1 < value.children.size(); i += 2)
      if (value.children[i + 1] == indexOf(*current)) current_field.key_node = value.children[i];
    getRequiredString(current_field, what, version.current, false);
  }
  for (std::size_t i = 0; i + 1 < value.children.size(); i += 2) {
    const std::string_view key = node(value.children[i]).value;
    if (key != "compatible" && key != "read_compatible") continue;
    Field list_field{field.spec, false, value.children[i], value.children[i + 1]};
    std::vector<IdRef> items;
    getStringList(list_field, what, items, false, false);
    auto& target = key == "compatible" ? version.compatible : version.read_compatible;
    target.clear();
    for (IdRef& item : items) target.push_back(std::move(item.id));
  }
  schema.version = std::move(version);
}

void Reader::readResources(const Field& field, const What& what) {
  const YamlNode& value = node(field.value_node);
  if (value.kind != YamlNode::Kind::Mapping) {
    ResolvedScalar scalar;
    if (value.kind == YamlNode::Kind::Scalar) scalar = resolveScalar(value);
    if (value.kind == YamlNode::Kind::Scalar && scalar.kind == ResolvedScalar::Kind::Null) return;
    wrongType(field, what, "a mapping", value.kind == YamlNode::Kind::Scalar ? &scalar : nullptr);
    return;
  }
  for (std::size_t i = 0; i + 1 < value.children.size(); i += 2) {
    const YamlNode& name = node(value.children[i]);
    const YamlNode& entry = node(value.children[i + 1]);
    What entry_what{"resource", {}, name.value, true};
    if (entry.kind != YamlNode::Kind::Mapping) {
      wrongType(Field{field.spec, false, value.children[i], value.children[i + 1]}, entry_what, "a mapping",
                nullptr);
      continue;
    }
    const YamlNode* uri = doc_.get(entry, "uri");
    if (uri == nullptr) {
      diag_.report(DiagId::err_missing_key, entry.pos, {"uri", entry_what.text()});
      continue;
    }
    ResourceDecl decl{std::string(name.value), {}, uri->pos};
    Field uri_field{field.spec, false, value.children[i], indexOf(*uri)};
    if (!getRequiredString(uri_field, entry_what, decl.uri, false)) continue;
    // A repeated resource name: the last one wins, as in a Python dict.
    auto same = std::find_if(resources.begin(), resources.end(),
                             [&](const ResourceDecl& d) { return d.name == decl.name; });
    if (same != resources.end()) {
      *same = std::move(decl);
    } else {
      resources.push_back(std::move(decl));
    }
  }
}

// --- table ----------------------------------------------------------------------

void Reader::readTable(const YamlNode& mapping, std::size_t table_index, model::Table& table,
                       TableSite& site) {
  site.pos = mapping.pos;
  table.pos = mapping.pos;
  What what{"table", {}, {}, false};
  Fields fields = collect(mapping, kTableKeys);
  recordKeys(fields, site);
  readName(fields, what, table.name, site);
  what.name = table.name;
  what.named = site.has_name;
  reportKeyProblems(fields, kTableKeys, what);
  std::string generated;
  if (options_.id_generation && site.has_name) generated = "#" + table.name;
  readId(fields, what, table.id, site, generated.empty() ? nullptr : &generated);
  readDescription(fields, what, table.description);
  const bool generate_ids = options_.id_generation && site.has_name;

  for (const Field& field : fields.all()) {
    switch (field.spec->key) {
      case Key::VotableUtype:
      case Key::MysqlEngine:
      case Key::MysqlCharset: addStringAnnotation(field, what, table.annotations); break;
      case Key::TapTableIndex: addIntegerAnnotation(field, what, table.annotations, false); break;
      case Key::Columns: {
        const YamlNode* list = getSequence(field, what, false);
        if (list == nullptr) break;
        table.columns.reserve(list->children.size());
        site.columns.reserve(list->children.size());
        for (NodeIndex item : list->children) {
          model::Column column;
          ColumnSite column_site;
          if (!readColumn(node(item), table.name, generate_ids, column, column_site)) continue;
          table.columns.push_back(std::move(column));
          site.columns.push_back(std::move(column_site));
        }
        break;
      }
      case Key::PrimaryKey: {
        std::vector<IdRef> refs;
        if (getStringList(field, what, refs, true)) {
          site.primary_key = std::move(refs);
          site.has_primary_key = !site.primary_key.empty();
        }
        break;
      }
      case Key::Constraints: {
        const YamlNode* list = getSequence(field, what, false);
        if (list == nullptr) break;
        for (NodeIndex item : list->children) {
          model::Constraint constraint;
          ConstraintSite constraint_site;
          if (!readConstraint(node(item), what, constraint, constraint_site)) continue;
          table.constraints.push_back(std::move(constraint));
          site.constraints.push_back(std::move(constraint_site));
        }
        break;
      }
      case Key::Indexes: {
        const YamlNode* list = getSequence(field, what, false);
        if (list == nullptr) break;
        for (NodeIndex item : list->children) {
          model::Index index;
          IndexSite index_site;
          if (!readIndex(node(item), index, index_site)) continue;
          table.indexes.push_back(std::move(index));
          site.indexes.push_back(std::move(index_site));
        }
        break;
      }
      case Key::ColumnGroups: {
        const YamlNode* list = getSequence(field, what, false);
        if (list == nullptr) break;
        for (NodeIndex item : list->children) {
          model::ColumnGroup group;
          GroupSite group_site;
          if (!readGroup(node(item), table.name, group, group_site)) continue;
          table.column_groups.push_back(std::move(group));
          site.groups.push_back(std::move(group_site));
        }
        break;
      }
      case Key::ColumnRefs: readColumnRefs(field, what, table_index); break;
      default: break;
    }
  }
}

// --- column -----------------------------------------------------------------------

bool Reader::readColumn(const YamlNode& mapping, std::string_view table_name, bool generate_id,
                        model::Column& column, ColumnSite& site, bool inline_in_group) {
  What what{"column", table_name, {}, false};
  if (mapping.kind != YamlNode::Kind::Mapping) {
    ResolvedScalar scalar;
    if (mapping.kind == YamlNode::Kind::Scalar) scalar = resolveScalar(mapping);
    diag_.report(
        DiagId::err_wrong_type_in, mapping.pos,
        {"columns", table_name.empty() ? std::string("a table") : "table '" + std::string(table_name) + "'",
         "a list of column mappings",
         describeValue(mapping, mapping.kind == YamlNode::Kind::Scalar ? &scalar : nullptr)});
    return false;
  }
  site.pos = mapping.pos;
  column.pos = mapping.pos;
  Fields fields = collect(mapping, kColumnKeys);
  recordKeys(fields, site);
  readName(fields, what, column.name, site);
  what.name = column.name;
  what.named = site.has_name;
  reportKeyProblems(fields, kColumnKeys, what);
  std::string generated;
  if (generate_id && site.has_name) {
    generated.reserve(table_name.size() + column.name.size() + 2);
    generated += '#';
    generated += table_name;
    generated += '.';
    generated += column.name;
  }
  readId(fields, what, column.id, site, generated.empty() ? nullptr : &generated, !inline_in_group);
  readDescription(fields, what, column.description);

  if (const Field* datatype = fields.find(Key::Datatype)) {
    if (auto type = readDatatype(*datatype, what)) {
      column.datatype = *type;
      site.datatype_valid = true;
    }
  } else {
    diag_.report(DiagId::err_missing_key, mapping.pos, {"datatype", what.text()});
  }

  for (const Field& field : fields.all()) {
    switch (field.spec->key) {
      case Key::Length:
      case Key::Precision: {
        std::int64_t number = 0;
        if (getInteger(field, what, number) != Got::Value) break;
        const bool is_length = field.spec->key == Key::Length;
        if (is_length ? number <= 0 : number < 0) {
          diag_.report(DiagId::err_out_of_range, node(field.value_node).pos,
                       {keyText(field), what.text(), is_length ? "greater than 0" : "0 or more",
                        std::to_string(number)});
          break;
        }
        (is_length ? column.length : column.precision) = number;
        break;
      }
      case Key::Nullable: {
        bool flag = true;
        Got got = getBoolean(field, what, flag);
        if (got == Got::Null) {
          ResolvedScalar null_scalar;
          null_scalar.kind = ResolvedScalar::Kind::Null;
          wrongType(field, what, "a boolean", &null_scalar);
        }
        if (got == Got::Value) column.nullable = flag;
        break;
      }
      case Key::Autoincrement: {
        bool flag = false;
        if (getBoolean(field, what, flag) == Got::Value) column.autoincrement = flag;
        break;
      }
      case Key::Value: {
        const YamlNode& value = node(field.value_node);
        if (value.kind != YamlNode::Kind::Scalar) {
          wrongType(field, what, "a string, a number or a boolean", nullptr);
          break;
        }
        ResolvedScalar scalar = resolveScalar(value);
        using SK = ResolvedScalar::Kind;
        using MK = model::Scalar::Kind;
        switch (scalar.kind) {
          case SK::Null: break;
          case SK::String:
            column.value = model::Scalar{MK::String, std::string(stripWhitespace(scalar.text))};
            break;
          case SK::Integer: column.value = model::Scalar{MK::Integer, scalar.text}; break;
          case SK::Float: column.value = model::Scalar{MK::Float, scalar.text}; break;
          case SK::Boolean: column.value = model::Scalar{MK::Boolean, scalar.text}; break;
          case SK::Timestamp: wrongType(field, what, "a string, a number or a boolean", &scalar); break;
        }
        break;
      }
      case Key::MysqlDatatype:
      case Key::PostgresqlDatatype: {
        std::string text;
        if (getString(field, what, text) != Got::Value) break;
        (field.spec->key == Key::MysqlDatatype ? column.mysql_datatype : column.postgresql_datatype) =
            std::move(text);
        break;
      }
      case Key::IvoaUcd:
      case Key::IvoaUnit:
      case Key::FitsTunit:
      case Key::VotableXtype:
      case Key::VotableDatatype:
      case Key::VotableUtype: addStringAnnotation(field, what, column.annotations); break;
      case Key::TapPrincipal:
      case Key::TapStd: addIntegerAnnotation(field, what, column.annotations, true); break;
      case Key::TapColumnIndex: addIntegerAnnotation(field, what, column.annotations, false); break;
      case Key::VotableArraysize: addArraysize(field, what, column.annotations); break;
      default: break;
    }
  }
  return true;
}

// --- constraints, indexes, groups ---------------------------------------------------

bool Reader::readConstraint(const YamlNode& mapping, const What& table_what, model::Constraint& constraint,
                            ConstraintSite& site) {
  if (mapping.kind != YamlNode::Kind::Mapping) {
    ResolvedScalar scalar;
    if (mapping.kind == YamlNode::Kind::Scalar) scalar = resolveScalar(mapping);
    diag_.report(DiagId::err_wrong_type_in, mapping.pos,
                 {"constraints", table_what.text(), "a list of constraint mappings",
                  describeValue(mapping, mapping.kind == YamlNode::Kind::Scalar ? &scalar : nullptr)});
    return false;
  }
  site.pos = mapping.pos;
  constraint.pos = mapping.pos;
  What what{"constraint", {}, {}, false};
  // The kind decides which keys exist, so @type is read first; its messages
  // name the constraint as written.
  if (const YamlNode* name = doc_.get(mapping, "name");
      name != nullptr && name->kind == YamlNode::Kind::Scalar) {
    what.name = name->value;
    what.named = true;
  }

  std::span<const KeySpec> specs = kAnyConstraintKeys;
  bool kind_known = false;
  const YamlNode* type_node = doc_.get(mapping, "@type");
  if (type_node == nullptr) type_node = doc_.get(mapping, "type");
  if (type_node == nullptr) {
    diag_.report(DiagId::err_missing_key, mapping.pos, {"@type", what.text()});
  } else {
    std::string_view type =
        type_node->kind == YamlNode::Kind::Scalar ? std::string_view(type_node->value) : "";
    if (type == "Unique") {
      constraint.kind = model::ConstraintKind::Unique;
      specs = kUniqueKeys;
      kind_known = true;
    } else if (type == "ForeignKey") {
      constraint.kind = model::ConstraintKind::ForeignKey;
      specs = kForeignKeyKeys;
      kind_known = true;
    } else if (type == "Check") {
      constraint.kind = model::ConstraintKind::Check;
      specs = kCheckKeys;
      kind_known = true;
    } else {
      diag_.report(DiagId::err_invalid_choice, type_node->pos,
                   {"@type", what.text(), "Unique, ForeignKey, Check",
                    type_node->kind == YamlNode::Kind::Scalar ? type_node->value : "a collection"});
    }
  }
  if (kind_known) {
    switch (constraint.kind) {
      case model::ConstraintKind::Unique: what.kind = "unique constraint"; break;
      case model::ConstraintKind::ForeignKey: what.kind = "foreign key"; break;
      case model::ConstraintKind::Check: what.kind = "check constraint"; break;
    }
  }
  Fields fields = collect(mapping, specs);
  recordKeys(fields, site);
  readName(fields, what, constraint.name, site);
  what.name = constraint.name;
  what.named = site.has_name;
  reportKeyProblems(fields, specs, what);
  std::string generated;
  if (options_.id_generation && site.has_name) generated = "#" + constraint.name;
  readId(fields, what, constraint.id, site, generated.empty() ? nullptr : &generated);
  readDescription(fields, what, constraint.description);

  static constexpr std::string_view kActions = "CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION";
  for (const Field& field : fields.all()) {
    switch (field.spec->key) {
      case Key::VotableUtype: addStringAnnotation(field, what, constraint.annotations); break;
      case Key::Deferrable: {
        bool flag = false;
        Got got = getBoolean(field, what, flag);
        if (got == Got::Null) {
          ResolvedScalar null_scalar;
          null_scalar.kind = ResolvedScalar::Kind::Null;
          wrongType(field, what, "a boolean", &null_scalar);
        }
        if (got == Got::Value) constraint.deferrable = flag;
        break;
      }
      case Key::Initially: {
        std::string text;
        if (getString(field, what, text, false) != Got::Value) break;
        if (text == "DEFERRED" || text == "IMMEDIATE") {
          constraint.initially_deferred = text == "DEFERRED";
        } else {
          diag_.report(DiagId::err_invalid_choice, node(field.value_node).pos,
                       {keyText(field), what.text(), "IMMEDIATE, DEFERRED", text});
        }
        break;
      }
      case Key::OnDelete:
      case Key::OnUpdate: {
        std::string text;
        if (getString(field, what, text, false) != Got::Value) break;
        std::optional<model::FkAction> action;
        for (auto candidate :
             {model::FkAction::Cascade, model::FkAction::SetNull, model::FkAction::SetDefault,
              model::FkAction::Restrict, model::FkAction::NoAction})
          if (text == model::fkActionSql(candidate)) action = candidate;
        if (!action) {
          diag_.report(DiagId::err_invalid_choice, node(field.value_node).pos,
                       {keyText(field), what.text(), kActions, text});
          break;
        }
        (field.spec->key == Key::OnDelete ? constraint.on_delete : constraint.on_update) = *action;
        break;
      }
      case Key::Expression: getRequiredString(field, what, constraint.expression); break;
      case Key::Columns: getStringList(field, what, site.columns, false); break;
      case Key::ReferencedColumns: getStringList(field, what, site.referenced_columns, false); break;
      default: break;
    }
  }
  if (!kind_known) return false;
  // Required keys of each kind; a foreign key needs at least one column each side.
  auto require = [&](Key key, std::string_view spelled, bool non_empty, const std::vector<IdRef>& refs) {
    const Field* field = fields.find(key);
    if (field == nullptr) {
      diag_.report(DiagId::err_missing_key, mapping.pos, {spelled, what.text()});
    } else if (non_empty && refs.empty() && node(field->value_node).kind == YamlNode::Kind::Sequence) {
      diag_.report(DiagId::err_empty_list, node(field->value_node).pos, {keyText(*field), what.text()});
    }
  };
  switch (constraint.kind) {
    case model::ConstraintKind::Unique: require(Key::Columns, "columns", false, site.columns); break;
    case model::ConstraintKind::ForeignKey:
      require(Key::Columns, "columns", true, site.columns);
      require(Key::ReferencedColumns, "referencedColumns", true, site.referenced_columns);
      break;
    case model::ConstraintKind::Check:
      if (fields.find(Key::Expression) == nullptr)
        diag_.report(DiagId::err_missing_key, mapping.pos, {"expression", what.text()});
      break;
  }
  return true;
}

bool Reader::readIndex(const YamlNode& mapping, model::Index& index, IndexSite& site) {
  if (mapping.kind != YamlNode::Kind::Mapping) {
    diag_.report(DiagId::err_wrong_type, mapping.pos,
                 {"indexes", "a list of index mappings", describeValue(mapping, nullptr)});
    return false;
  }
  site.pos = mapping.pos;
  index.pos = mapping.pos;
  What what{"index", {}, {}, false};
  Fields fields = collect(mapping, kIndexKeys);
  recordKeys(fields, site);
  readName(fields, what, index.name, site);
  what.name = index.name;
  what.named = site.has_name;
  reportKeyProblems(fields, kIndexKeys, what);
  std::string generated;
  if (options_.id_generation && site.has_name) generated = "#" + index.name;
  readId(fields, what, index.id, site, generated.empty() ? nullptr : &generated);
  readDescription(fields, what, index.description);

  const Field* columns = fields.find(Key::Columns);
  const Field* expressions = fields.find(Key::Expressions);
  if (columns != nullptr && expressions != nullptr) {
    diag_.report(DiagId::err_index_both, node(expressions->key_node).pos, {index.name});
  } else if (columns == nullptr && expressions == nullptr) {
    diag_.report(DiagId::err_index_neither, mapping.pos, {index.name});
  }
  for (const Field& field : fields.all()) {
    switch (field.spec->key) {
      case Key::VotableUtype: addStringAnnotation(field, what, index.annotations); break;
      case Key::Columns:
      case Key::Expressions: {
        const bool is_columns = field.spec->key == Key::Columns;
        if (columns != nullptr && expressions != nullptr) break;
        const YamlNode* list = getSequence(field, what, true);
        if (list == nullptr || list->children.empty()) {
          // felis accepts `columns: null` (the key is present) and emits an index
          // without columns; PostgreSQL rejects it.
          if (list != nullptr || node(field.value_node).kind == YamlNode::Kind::Scalar)
            diag_.report(DiagId::err_empty_list, node(field.value_node).pos, {keyText(field), what.text()});
          break;
        }
        std::vector<IdRef> refs;
        getStringList(field, what, refs, false);
        if (is_columns) {
          site.columns = std::move(refs);
        } else {
          for (IdRef& ref : refs) index.elements.push_back(model::IndexElement{std::move(ref.id), true});
        }
        break;
      }
      default: break;
    }
  }
  return true;
}

bool Reader::readGroup(const YamlNode& mapping, std::string_view table_name, model::ColumnGroup& group,
                       GroupSite& site) {
  if (mapping.kind != YamlNode::Kind::Mapping) {
    diag_.report(DiagId::err_wrong_type, mapping.pos,
                 {"columnGroups", "a list of column group mappings", describeValue(mapping, nullptr)});
    return false;
  }
  site.pos = mapping.pos;
  group.pos = mapping.pos;
  What what{"column group", table_name, {}, false};
  Fields fields = collect(mapping, kGroupKeys);
  recordKeys(fields, site);
  readName(fields, what, group.name, site);
  what.name = group.name;
  what.named = site.has_name;
  reportKeyProblems(fields, kGroupKeys, what);
  std::string generated;
  if (options_.id_generation && site.has_name && !table_name.empty())
    generated = "#" + std::string(table_name) + "." + group.name;
  readId(fields, what, group.id, site, generated.empty() ? nullptr : &generated);
  readDescription(fields, what, group.description);
  const Field* columns = fields.find(Key::Columns);
  if (columns == nullptr) diag_.report(DiagId::err_missing_key, mapping.pos, {"columns", what.text()});

  for (const Field& field : fields.all()) {
    switch (field.spec->key) {
      case Key::VotableUtype:
      case Key::IvoaUcd: addStringAnnotation(field, what, group.annotations); break;
      case Key::Columns: {
        const YamlNode* list = getSequence(field, what, false);
        if (list == nullptr) break;
        if (list->children.empty()) {
          diag_.report(DiagId::err_empty_list, list->pos, {keyText(field), what.text()});
          break;
        }
        for (NodeIndex item : list->children) {
          const YamlNode& entry = node(item);
          if (entry.kind == YamlNode::Kind::Mapping) {
            // An inline column: a Column object of the group only. felis does not
            // generate its @id.
            model::Column column;
            ColumnSite column_site;
            readColumn(entry, table_name, false, column, column_site, true);
            site.entries.push_back(GroupEntry{IdRef{column.id, entry.pos}, true, column.name});
            continue;
          }
          std::string text;
          Field item_field{field.spec, field.alias, field.key_node, item};
          Got got = getString(item_field, what, text);
          if (got == Got::Null) {
            ResolvedScalar null_scalar;
            null_scalar.kind = ResolvedScalar::Kind::Null;
            wrongType(item_field, what, "a column @id or a column mapping", &null_scalar);
          }
          if (got != Got::Value) continue;
          site.entries.push_back(GroupEntry{IdRef{std::move(text), entry.pos}, false, {}});
        }
        break;
      }
      default: break;
    }
  }
  return true;
}

// --- columnRefs -------------------------------------------------------------------

void Reader::readColumnRefs(const Field& field, const What& what, std::size_t table_index) {
  // columnRefs entries are plain mappings: unknown keys are ignored and strings
  // are not stripped (felis-format.md §1); `overrides` is a strict object.
  auto mappingOrNull = [&](NodeIndex key_node, NodeIndex value_node, const What& where) -> const YamlNode* {
    const YamlNode& value = node(value_node);
    if (value.kind == YamlNode::Kind::Mapping) return &value;
    ResolvedScalar scalar;
    if (value.kind == YamlNode::Kind::Scalar) {
      scalar = resolveScalar(value);
      if (scalar.kind == ResolvedScalar::Kind::Null) return nullptr;
    }
    wrongType(Field{field.spec, false, key_node, value_node}, where, "a mapping",
              value.kind == YamlNode::Kind::Scalar ? &scalar : nullptr);
    return nullptr;
  };
  const YamlNode* resources_map = mappingOrNull(field.key_node, field.value_node, what);
  if (resources_map == nullptr) return;
  for (std::size_t r = 0; r + 1 < resources_map->children.size(); r += 2) {
    const YamlNode& resource = node(resources_map->children[r]);
    const YamlNode* tables_map =
        mappingOrNull(resources_map->children[r], resources_map->children[r + 1], what);
    if (tables_map == nullptr) continue;
    for (std::size_t t = 0; t + 1 < tables_map->children.size(); t += 2) {
      const YamlNode& ref_table = node(tables_map->children[t]);
      const YamlNode* columns_map = mappingOrNull(tables_map->children[t], tables_map->children[t + 1], what);
      if (columns_map == nullptr) continue;
      for (std::size_t c = 0; c + 1 < columns_map->children.size(); c += 2) {
        const YamlNode& new_name = node(columns_map->children[c]);
        ColumnRefRequest request;
        request.table = table_index;
        request.resource = resource.value;
        request.resource_pos = resource.pos;
        request.ref_table = ref_table.value;
        request.ref_table_pos = ref_table.pos;
        request.new_name = new_name.value;
        request.ref_name = new_name.value;
        request.pos = new_name.pos;
        What column_what{"column", what.name, new_name.value, true};
        const YamlNode& value = node(columns_map->children[c + 1]);
        const bool is_null =
            value.kind == YamlNode::Kind::Scalar && resolveScalar(value).kind == ResolvedScalar::Kind::Null;
        const YamlNode* entry = nullptr;
        if (!is_null) {
          entry = mappingOrNull(columns_map->children[c], columns_map->children[c + 1], column_what);
          if (entry == nullptr) continue;
        }
        if (entry != nullptr) {
          if (const YamlNode* ref_name = doc_.get(*entry, "ref_name")) {
            Field ref_field{field.spec, false, columns_map->children[c], indexOf(*ref_name)};
            Got got = getString(ref_field, column_what, request.ref_name, false);
            if (got == Got::Bad) continue;
            if (got == Got::Null) request.ref_name = new_name.value;
          }
          if (const YamlNode* overrides = doc_.get(*entry, "overrides")) {
            if (overrides->kind == YamlNode::Kind::Mapping) {
              readOverrides(*overrides, column_what, request.overrides);
            } else {
              mappingOrNull(columns_map->children[c], indexOf(*overrides), column_what);
            }
          }
        }
        column_refs.push_back(std::move(request));
      }
    }
  }
}

void Reader::readOverrides(const YamlNode& mapping, const What& column_what, ColumnOverrides& overrides) {
  // Describe the overrides by their column in messages.
  What message_what = column_what;
  message_what.kind = "the overrides of column";
  Fields fields = collect(mapping, kOverrideKeys);
  reportKeyProblems(fields, kOverrideKeys, message_what);
  for (const Field& field : fields.all()) {
    switch (field.spec->key) {
      case Key::Datatype:
        if (auto type = readDatatype(field, message_what)) overrides.datatype = *type;
        break;
      case Key::Length: {
        std::int64_t number = 0;
        Got got = getInteger(field, message_what, number);
        if (got == Got::Null) {
          ResolvedScalar null_scalar;
          null_scalar.kind = ResolvedScalar::Kind::Null;
          wrongType(field, message_what, "an integer", &null_scalar);
        } else if (got == Got::Value && number <= 0) {
          diag_.report(DiagId::err_out_of_range, node(field.value_node).pos,
                       {keyText(field), message_what.text(), "greater than 0", std::to_string(number)});
        } else if (got == Got::Value) {
          overrides.length = number;
        }
        break;
      }
      case Key::Description: {
        std::string text;
        if (getRequiredString(field, message_what, text)) overrides.description = std::move(text);
        break;
      }
      case Key::Nullable: {
        bool flag = true;
        Got got = getBoolean(field, message_what, flag);
        if (got == Got::Null) {
          ResolvedScalar null_scalar;
          null_scalar.kind = ResolvedScalar::Kind::Null;
          wrongType(field, message_what, "a boolean", &null_scalar);
        }
        if (got == Got::Value) overrides.nullable = flag;
        break;
      }
      case Key::TapPrincipal:
      case Key::TapColumnIndex: {
        std::vector<model::Annotation> annotation;
        addIntegerAnnotation(field, message_what, annotation, field.spec->key == Key::TapPrincipal);
        if (annotation.empty()) break;
        (field.spec->key == Key::TapPrincipal ? overrides.tap_principal : overrides.tap_column_index) =
            std::move(annotation.front().value);
        break;
      }
      default: break;
    }
  }
}

// ---------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------

std::string directoryOf(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string() : parent.string();
}

std::string canonicalPath(const std::string& path) {
  std::error_code error;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(path, error);
  return error ? path : canonical.string();
}

}  // namespace

namespace {

/// readFelisWithContext() before its sources are registered.
ReadResult readUnregistered(std::string_view text, const std::string& display_name,
                            const ReadOptions& options, const std::string& base_directory,
                            ResourceContext& context) {
  ReadResult result;
  result.source_text = std::string(text);
  std::optional<YamlDocument> document = parseYaml(result.source_text, display_name, result.diagnostics);
  if (!document) return result;

  auto schema = std::make_shared<model::Schema>();
  SchemaSite site;
  DiagnosticBuffer structure(display_name);
  Reader reader(*document, options, structure);
  reader.readSchema(*schema, site);

  model::Diagnostics resource_diagnostics;
  if (!reader.column_refs.empty()) {
    applyColumnRefs(*schema, site, reader.resources, reader.column_refs, options, base_directory, context,
                    structure, result.other_sources, resource_diagnostics);
  }
  structure.flushTo(result.diagnostics);
  result.diagnostics.append(resource_diagnostics);

  validateFelis(*schema, site, options, display_name, result.diagnostics);
  if (result.diagnostics.hasErrors()) return result;

  model::resolveSchema(*schema, model::postgresDialect());
  schema->source_file = display_name;
  result.schema = std::move(schema);
  return result;
}

}  // namespace

ReadResult readFelisWithContext(std::string_view text, const std::string& display_name,
                                const ReadOptions& options, const std::string& base_directory,
                                ResourceContext& context) {
  ReadResult result = readUnregistered(text, display_name, options, base_directory, context);
  // The texts diagnostics point into travel with them (only when there are
  // any: a clean read of a large file copies nothing more).
  if (!result.diagnostics.empty()) {
    result.diagnostics.addSource(display_name, result.source_text);
    for (const SourceText& other : result.other_sources) result.diagnostics.addSource(other.file, other.text);
  }
  return result;
}

ReadResult readFelisFile(const std::string& path, const ReadOptions& options) {
  ReadResult result;
  std::optional<std::string> text = readSourceFile(path, result.diagnostics);
  if (!text) return result;
  ResourceContext context;
  context.loading.push_back(canonicalPath(path));
  return readFelisWithContext(*text, path, options, directoryOf(path), context);
}

ReadResult readFelisText(std::string_view text, const std::string& display_name, const ReadOptions& options) {
  ResourceContext context;
  return readFelisWithContext(text, display_name, options, options.base_directory, context);
}

std::string renderDiagnostics(const ReadResult& result) {
  return model::renderDiagnostics(result.diagnostics);
}

}  // namespace felisc::felis
