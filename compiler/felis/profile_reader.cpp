// The deployment profile reader. Structure problems use the generic catalogue
// entries the Felis reader uses (unknown key, wrong type, missing key, invalid
// choice, empty list, datatype rules); what only a profile can get wrong has its
// own codes (FEL27x).
#include "compiler/felis/profile_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "compiler/felis/validator.h"
#include "compiler/felis/yaml_tree.h"
#include "schema_model/source_file.h"

namespace felisc::felis {

namespace {

using model::DiagId;
using model::SourcePos;

constexpr std::size_t kMaxIdentifierBytes = 63;

constexpr std::array<std::string_view, 7> kPrivileges = {"SELECT",   "INSERT",     "UPDATE", "DELETE",
                                                         "TRUNCATE", "REFERENCES", "TRIGGER"};

constexpr std::array<std::string_view, 8> kTopKeys = {"name",       "description", "schemas",      "roles",
                                                      "extensions", "views",       "extraColumns", "grants"};
constexpr std::array<std::string_view, 5> kViewKeys = {"name", "base", "rename", "grants", "required"};
constexpr std::array<std::string_view, 2> kViewGrantKeys = {"privileges", "to"};
constexpr std::array<std::string_view, 3> kTableGrantKeys = {"tables", "privileges", "to"};
constexpr std::array<std::string_view, 3> kExtraKeys = {"whenColumn", "position", "column"};
constexpr std::array<std::string_view, 7> kColumnKeys = {
    "name", "datatype", "length", "precision", "nullable", "description", "postgresql:datatype"};

/// The keys of one mapping that were recognised, by name.
struct Keys {
  std::map<std::string_view, std::pair<const YamlNode*, const YamlNode*>, std::less<>> found;  ///< key, value

  [[nodiscard]] const YamlNode* value(std::string_view key) const {
    auto it = found.find(key);
    return it == found.end() ? nullptr : it->second.second;
  }
  [[nodiscard]] SourcePos keyPos(std::string_view key, SourcePos otherwise) const {
    auto it = found.find(key);
    return it == found.end() ? otherwise : it->second.first->pos;
  }
};

std::string describeValue(const YamlNode& node) {
  if (node.kind == YamlNode::Kind::Mapping) return "a mapping";
  if (node.kind == YamlNode::Kind::Sequence) return "a list";
  ResolvedScalar scalar = resolveScalar(node);
  switch (scalar.kind) {
    case ResolvedScalar::Kind::Null: return "null";
    case ResolvedScalar::Kind::Boolean: return "a boolean (" + scalar.text + ")";
    case ResolvedScalar::Kind::Integer: return "an integer (" + scalar.text + ")";
    case ResolvedScalar::Kind::Float: return "a float (" + scalar.text + ")";
    case ResolvedScalar::Kind::Timestamp: return "a date (" + std::string(node.value) + ")";
    case ResolvedScalar::Kind::String: return "a string ('" + scalar.text + "')";
  }
  return "a scalar";
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string choiceList(std::span<const std::string_view> choices) {
  std::string text;
  for (std::string_view choice : choices) text += (text.empty() ? "" : ", ") + std::string(choice);
  return text;
}

class ProfileReader {
 public:
  ProfileReader(const YamlDocument& document, const std::string& file)
      : doc_(document), file_(file), diag_(file) {}

  /// Hands on everything reported, in file order.
  void flushTo(model::Diagnostics& diagnostics) { diag_.flushTo(diagnostics); }

  model::Profile read() {
    model::Profile profile;
    profile.source_file = file_;
    const YamlNode& root = doc_.root();
    profile.pos = root.pos;
    if (root.kind != YamlNode::Kind::Mapping) {
      report(DiagId::err_wrong_type, root.pos, {"profile", "a mapping", describeValue(root)});
      return profile;
    }
    const std::string what = "profile";
    Keys keys = collect(root, kTopKeys, what);
    readRequiredString(keys, "name", what, root.pos, profile.name);
    if (const YamlNode* value = keys.value("description")) {
      std::string description;
      if (getString(*value, "description", what, description, true)) profile.description = description;
    }
    readSchemas(keys, root.pos, profile);
    profile.roles = readRequirements(keys, "roles", what, "role");
    profile.extensions = readRequirements(keys, "extensions", what, "extension");
    if (const YamlNode* views = sequence(keys, "views", what)) {
      for (std::size_t i = 0; i < views->children.size(); ++i)
        readView(doc_.node(views->children[i]), i, profile);
    }
    if (const YamlNode* rules = sequence(keys, "extraColumns", what)) {
      for (std::size_t i = 0; i < rules->children.size(); ++i)
        readExtraColumn(doc_.node(rules->children[i]), i, profile);
    }
    if (const YamlNode* grants = sequence(keys, "grants", what)) {
      for (std::size_t i = 0; i < grants->children.size(); ++i)
        readTableGrant(doc_.node(grants->children[i]), i, profile);
    }
    checkGrantees(profile);
    checkCycles(profile);
    return profile;
  }

 private:
  void report(DiagId id, SourcePos pos, std::initializer_list<std::string_view> args = {}) {
    diag_.report(id, pos, args);
  }
  void notePrevious(SourcePos pos) { diag_.note(DiagId::note_previous_definition, pos); }

  /// Matches a mapping's keys against `known`; unknown ones are reported with the
  /// closest known spelling (within 2 edits, and less than half the key).
  Keys collect(const YamlNode& mapping, std::span<const std::string_view> known, const std::string& what) {
    Keys keys;
    for (std::size_t i = 0; i + 1 < mapping.children.size(); i += 2) {
      const YamlNode& key = doc_.node(mapping.children[i]);
      const YamlNode& value = doc_.node(mapping.children[i + 1]);
      if (key.kind != YamlNode::Kind::Scalar) {
        report(DiagId::err_unknown_key, key.pos,
               {key.kind == YamlNode::Kind::Mapping ? "{...}" : "[...]", what});
        continue;
      }
      auto match = std::find(known.begin(), known.end(), key.value);
      if (match != known.end()) {
        keys.found[*match] = {&key, &value};  // the last duplicate wins, as in Felis files
        continue;
      }
      std::string_view best;
      std::size_t best_distance = 3;
      for (std::string_view candidate : known) {
        std::size_t distance = editDistance(key.value, candidate, 2);
        if (distance < best_distance) {
          best_distance = distance;
          best = candidate;
        }
      }
      if (!best.empty() && 2 * best_distance < key.value.size())
        report(DiagId::err_unknown_key_suggest, key.pos, {key.value, what, best});
      else
        report(DiagId::err_unknown_key, key.pos, {key.value, what});
    }
    return keys;
  }

  /// The value of `key` in `mapping` when it is a string; for naming objects in
  /// messages before their keys are checked.
  const YamlNode* stringValue(const YamlNode& mapping, std::string_view key) const {
    const YamlNode* value = doc_.get(mapping, key);
    if (value == nullptr || value->kind != YamlNode::Kind::Scalar || !isStringScalar(*value) ||
        value->value.empty())
      return nullptr;
    return value;
  }

  /// `list[index]`, naming an item of a list in messages.
  static std::string itemName(std::string_view list, std::size_t index) {
    return std::string(list) + "[" + std::to_string(index) + "]";
  }

  /// A mapping item of a list, or a report.
  bool isMapping(const YamlNode& node, std::string_view list, std::size_t index, const std::string& what) {
    if (node.kind == YamlNode::Kind::Mapping) return true;
    report(DiagId::err_wrong_type_in, node.pos,
           {itemName(list, index), what, "a mapping", describeValue(node)});
    return false;
  }

  /// A string scalar; a name must not be empty, a description may.
  bool getString(const YamlNode& value, std::string_view key, const std::string& what, std::string& out,
                 bool may_be_empty = false) {
    if (value.kind == YamlNode::Kind::Scalar && isStringScalar(value) &&
        (may_be_empty || !value.value.empty())) {
      out = value.value;
      return true;
    }
    report(DiagId::err_wrong_type_in, value.pos,
           {key, what, may_be_empty ? "a string" : "a non-empty string", describeValue(value)});
    return false;
  }

  bool readRequiredString(const Keys& keys, std::string_view key, const std::string& what, SourcePos at,
                          std::string& out) {
    const YamlNode* value = keys.value(key);
    if (value == nullptr) {
      report(DiagId::err_missing_key, at, {key, what});
      return false;
    }
    return getString(*value, key, what, out);
  }

  /// A name that becomes a PostgreSQL identifier.
  void checkIdentifier(std::string_view kind, const std::string& name, SourcePos pos) {
    if (name.size() > kMaxIdentifierBytes)
      report(DiagId::err_identifier_too_long, pos, {kind, name, std::to_string(name.size())});
  }

  /// A list value (null is an empty list); nullptr and a report when it is not one.
  const YamlNode* sequence(const Keys& keys, std::string_view key, const std::string& what) {
    const YamlNode* value = keys.value(key);
    if (value == nullptr) return nullptr;
    if (value->kind == YamlNode::Kind::Sequence) return value;
    if (value->kind == YamlNode::Kind::Scalar && resolveScalar(*value).kind == ResolvedScalar::Kind::Null)
      return nullptr;
    report(DiagId::err_wrong_type_in, value->pos, {key, what, "a list", describeValue(*value)});
    return nullptr;
  }

  /// A list of non-empty strings, each with its position.
  std::vector<std::pair<std::string, SourcePos>> stringList(const Keys& keys, std::string_view key,
                                                            const std::string& what, bool non_empty) {
    std::vector<std::pair<std::string, SourcePos>> items;
    const YamlNode* list = sequence(keys, key, what);
    if (list == nullptr) return items;
    if (list->children.empty() && non_empty) report(DiagId::err_empty_list, list->pos, {key, what});
    for (std::size_t i = 0; i < list->children.size(); ++i) {
      const YamlNode& item = doc_.node(list->children[i]);
      std::string text;
      if (getString(item, itemName(key, i), what, text)) items.emplace_back(std::move(text), item.pos);
    }
    return items;
  }

  /// Names given twice in one list are reported at the second one.
  template <typename Item, typename NameOf>
  void reportDuplicates(const std::vector<Item>& items, std::string_view kind, NameOf name_of) {
    std::map<std::string, SourcePos, std::less<>> seen;
    for (const Item& item : items) {
      auto [it, inserted] = seen.emplace(name_of(item).first, name_of(item).second);
      if (inserted) continue;
      report(DiagId::err_profile_duplicate, name_of(item).second, {kind, name_of(item).first});
      notePrevious(it->second);
    }
  }

  void readSchemas(const Keys& keys, SourcePos at, model::Profile& profile) {
    if (keys.value("schemas") == nullptr) {
      report(DiagId::err_missing_key, at, {"schemas", "profile"});
      return;
    }
    auto patterns = stringList(keys, "schemas", "profile", true);
    for (const auto& [pattern, pos] : patterns) {
      if (!model::validGlob(pattern)) report(DiagId::err_profile_glob, pos, {pattern});
      profile.schemas.push_back(pattern);
    }
    reportDuplicates(patterns, "schema pattern", [](const auto& item) { return item; });
  }

  std::vector<model::ProfileRequirement> readRequirements(const Keys& keys, std::string_view key,
                                                          const std::string& what, std::string_view kind) {
    std::vector<model::ProfileRequirement> out;
    for (auto& [name, pos] : stringList(keys, key, what, false)) {
      checkIdentifier(kind, name, pos);
      out.push_back(model::ProfileRequirement{std::move(name), pos});
    }
    reportDuplicates(out, kind, [](const model::ProfileRequirement& r) { return std::pair(r.name, r.pos); });
    return out;
  }

  /// `privileges` and `to` of a grant mapping.
  model::ProfileGrant readGrantBody(const YamlNode& mapping, const Keys& keys, const std::string& what) {
    model::ProfileGrant grant;
    grant.pos = mapping.pos;
    for (std::string_view key : {std::string_view("privileges"), std::string_view("to")}) {
      if (keys.value(key) == nullptr) report(DiagId::err_missing_key, mapping.pos, {key, what});
    }
    for (const auto& [text, pos] : stringList(keys, "privileges", what, true)) {
      std::string privilege = upper(text);
      if (std::find(kPrivileges.begin(), kPrivileges.end(), privilege) == kPrivileges.end()) {
        report(DiagId::err_invalid_choice, pos, {"privileges", what, choiceList(kPrivileges), text});
        continue;
      }
      if (std::find(grant.privileges.begin(), grant.privileges.end(), privilege) == grant.privileges.end())
        grant.privileges.push_back(std::move(privilege));
    }
    for (auto& [grantee, pos] : stringList(keys, "to", what, true)) {
      grantee_positions_.emplace_back(grantee, pos);
      if (std::find(grant.grantees.begin(), grant.grantees.end(), grantee) == grant.grantees.end())
        grant.grantees.push_back(std::move(grantee));
    }
    return grant;
  }

  void readView(const YamlNode& mapping, std::size_t index, model::Profile& profile) {
    const std::string index_what = itemName("views", index);
    if (!isMapping(mapping, "views", index, "profile")) return;
    model::ViewRule rule;
    rule.pos = mapping.pos;
    // The name, when readable, names the view in every later message.
    std::string what = index_what;
    if (const YamlNode* name = stringValue(mapping, "name")) what = "view '" + std::string(name->value) + "'";
    Keys keys = collect(mapping, kViewKeys, what);
    bool ok = readRequiredString(keys, "name", what, mapping.pos, rule.name);
    ok = readRequiredString(keys, "base", what, mapping.pos, rule.base) && ok;
    if (ok && rule.name == rule.base)
      report(DiagId::err_profile_view_over_itself, keys.keyPos("base", mapping.pos), {rule.name});
    checkIdentifier("view", rule.name, keys.keyPos("name", mapping.pos));
    if (const YamlNode* required = keys.value("required")) {
      ResolvedScalar scalar = resolveScalar(*required);
      if (required->kind == YamlNode::Kind::Scalar && scalar.kind == ResolvedScalar::Kind::Boolean)
        rule.required = scalar.boolean;
      else
        report(DiagId::err_wrong_type_in, required->pos,
               {"required", what, "a boolean", describeValue(*required)});
    }
    readRenames(keys, what, rule);
    if (const YamlNode* grants = sequence(keys, "grants", what)) {
      for (std::size_t i = 0; i < grants->children.size(); ++i) {
        const YamlNode& grant = doc_.node(grants->children[i]);
        const std::string grant_what = itemName("grants", i) + " of " + what;
        if (!isMapping(grant, "grants", i, what)) continue;
        Keys grant_keys = collect(grant, kViewGrantKeys, grant_what);
        rule.grants.push_back(readGrantBody(grant, grant_keys, grant_what));
      }
    }
    profile.views.push_back(std::move(rule));
    const model::ViewRule& added = profile.views.back();
    for (std::size_t i = 0; i + 1 < profile.views.size(); ++i) {
      if (profile.views[i].name != added.name || added.name.empty()) continue;
      report(DiagId::err_profile_duplicate, added.pos, {"view", added.name});
      notePrevious(profile.views[i].pos);
      break;
    }
  }

  void readRenames(const Keys& keys, const std::string& what, model::ViewRule& rule) {
    const YamlNode* renames = keys.value("rename");
    if (renames == nullptr) return;
    if (renames->kind != YamlNode::Kind::Mapping) {
      report(DiagId::err_wrong_type_in, renames->pos,
             {"rename", what, "a mapping of base column to view column", describeValue(*renames)});
      return;
    }
    for (std::size_t i = 0; i + 1 < renames->children.size(); i += 2) {
      const YamlNode& from = doc_.node(renames->children[i]);
      const YamlNode& to = doc_.node(renames->children[i + 1]);
      model::ColumnRename rename;
      rename.pos = from.pos;
      if (!getString(from, "rename key", what, rename.from) ||
          !getString(to, "rename value", what, rename.to))
        continue;
      checkIdentifier("column", rename.to, to.pos);
      // A key given twice was reported by the YAML reader; the last one wins.
      std::erase_if(rule.renames, [&](const model::ColumnRename& r) { return r.from == rename.from; });
      rule.renames.push_back(std::move(rename));
    }
    std::map<std::string, SourcePos, std::less<>> targets;
    for (const model::ColumnRename& rename : rule.renames) {
      auto [it, inserted] = targets.emplace(rename.to, rename.pos);
      if (inserted) continue;
      report(DiagId::err_profile_duplicate, rename.pos, {"rename target", rename.to});
      notePrevious(it->second);
    }
  }

  void readExtraColumn(const YamlNode& mapping, std::size_t index, model::Profile& profile) {
    if (!isMapping(mapping, "extraColumns", index, "profile")) return;
    model::ExtraColumnRule rule;
    rule.pos = mapping.pos;
    const std::string what = itemName("extraColumns", index);
    Keys keys = collect(mapping, kExtraKeys, what);
    readRequiredString(keys, "whenColumn", what, mapping.pos, rule.when_column);
    if (const YamlNode* position = keys.value("position")) {
      std::string text;
      constexpr std::array<std::string_view, 2> kPositions = {"after", "end"};
      if (getString(*position, "position", what, text)) {
        if (text == "after")
          rule.position = model::ExtraColumnPosition::AfterTrigger;
        else if (text == "end")
          rule.position = model::ExtraColumnPosition::End;
        else
          report(DiagId::err_invalid_choice, position->pos, {"position", what, choiceList(kPositions), text});
      }
    }
    const YamlNode* column = keys.value("column");
    if (column == nullptr) {
      report(DiagId::err_missing_key, mapping.pos, {"column", what});
    } else if (column->kind != YamlNode::Kind::Mapping) {
      report(DiagId::err_wrong_type_in, column->pos, {"column", what, "a mapping", describeValue(*column)});
    } else {
      readExtraColumnBody(*column, what, rule.column);
    }
    for (const model::ExtraColumnRule& other : profile.extra_columns) {
      if (other.column.name != rule.column.name || rule.column.name.empty()) continue;
      report(DiagId::err_profile_duplicate, rule.pos, {"extra column", rule.column.name});
      notePrevious(other.pos);
      break;
    }
    profile.extra_columns.push_back(std::move(rule));
  }

  /// An integer key >= `minimum`.
  std::optional<std::int64_t> integer(const Keys& keys, std::string_view key, const std::string& what,
                                      std::int64_t minimum) {
    const YamlNode* value = keys.value(key);
    if (value == nullptr) return std::nullopt;
    ResolvedScalar scalar = resolveScalar(*value);
    if (value->kind != YamlNode::Kind::Scalar || scalar.kind != ResolvedScalar::Kind::Integer ||
        scalar.integer_overflow) {
      report(DiagId::err_wrong_type_in, value->pos, {key, what, "an integer", describeValue(*value)});
      return std::nullopt;
    }
    if (scalar.integer < minimum) {
      report(DiagId::err_out_of_range, value->pos,
             {key, what, minimum == 0 ? "at least 0" : "at least " + std::to_string(minimum), scalar.text});
      return std::nullopt;
    }
    return scalar.integer;
  }

  void readExtraColumnBody(const YamlNode& mapping, const std::string& rule_what, model::Column& column) {
    std::string what = "the column of " + rule_what;
    if (const YamlNode* name = stringValue(mapping, "name")) what = "extra column '" + std::string(name->value) + "'";
    Keys keys = collect(mapping, kColumnKeys, what);
    column.pos = mapping.pos;
    if (readRequiredString(keys, "name", what, mapping.pos, column.name))
      checkIdentifier("column", column.name, keys.keyPos("name", mapping.pos));
    std::string datatype;
    bool typed = false;
    if (readRequiredString(keys, "datatype", what, mapping.pos, datatype)) {
      if (auto type = model::parseFelisType(datatype)) {
        column.datatype = *type;
        typed = true;
      } else {
        report(DiagId::err_unknown_datatype, keys.value("datatype")->pos,
               {datatype,
                "boolean, byte, short, int, long, float, double, char, string, unicode, text, binary, "
                "timestamp"});
      }
    }
    column.length = integer(keys, "length", what, 1);
    column.precision = integer(keys, "precision", what, 0);
    if (typed && model::isSized(column.datatype) && !column.length && keys.value("length") == nullptr)
      report(DiagId::err_length_required, mapping.pos, {column.name, datatype});
    if (typed && column.precision && column.datatype != model::FelisType::Timestamp)
      report(DiagId::err_precision_not_timestamp, keys.keyPos("precision", mapping.pos),
             {column.name, datatype});
    if (const YamlNode* nullable = keys.value("nullable")) {
      ResolvedScalar scalar = resolveScalar(*nullable);
      if (nullable->kind == YamlNode::Kind::Scalar && scalar.kind == ResolvedScalar::Kind::Boolean)
        column.nullable = scalar.boolean;
      else
        report(DiagId::err_wrong_type_in, nullable->pos,
               {"nullable", what, "a boolean", describeValue(*nullable)});
    }
    if (const YamlNode* description = keys.value("description")) {
      std::string text;
      if (getString(*description, "description", what, text, true)) column.description = text;
    }
    if (const YamlNode* override_type = keys.value("postgresql:datatype")) {
      std::string text;
      if (getString(*override_type, "postgresql:datatype", what, text)) column.postgresql_datatype = text;
    }
  }

  void readTableGrant(const YamlNode& mapping, std::size_t index, model::Profile& profile) {
    if (!isMapping(mapping, "grants", index, "profile")) return;
    const std::string what = itemName("grants", index);
    model::TableGrantRule rule;
    rule.pos = mapping.pos;
    Keys keys = collect(mapping, kTableGrantKeys, what);
    const YamlNode* tables = keys.value("tables");
    if (tables == nullptr) {
      report(DiagId::err_missing_key, mapping.pos, {"tables", what});
    } else if (tables->kind == YamlNode::Kind::Scalar && isStringScalar(*tables) && tables->value == "all") {
      rule.all_tables = true;
    } else if (tables->kind == YamlNode::Kind::Sequence) {
      for (auto& [name, pos] : stringList(keys, "tables", what, true)) rule.tables.push_back(std::move(name));
    } else {
      report(DiagId::err_wrong_type_in, tables->pos,
             {"tables", what, "'all' or a list of table names", describeValue(*tables)});
    }
    rule.grant = readGrantBody(mapping, keys, what);
    profile.table_grants.push_back(std::move(rule));
  }

  /// Every grantee must be a role the profile requires (or PUBLIC), so that the
  /// role guard of `create` covers it.
  void checkGrantees(const model::Profile& profile) {
    for (const auto& [grantee, pos] : grantee_positions_) {
      if (upper(grantee) == "PUBLIC") continue;
      // An init-capture, not [&]: clang 14 cannot capture a structured binding.
      bool listed =
          std::any_of(profile.roles.begin(), profile.roles.end(),
                      [&name = grantee](const model::ProfileRequirement& role) { return role.name == name; });
      if (!listed) report(DiagId::err_profile_grantee_not_role, pos, {grantee});
    }
  }

  /// Views realized over each other: each cycle is reported once, at its member
  /// that comes first in the file.
  void checkCycles(const model::Profile& profile) {
    auto find = [&](std::string_view name) -> const model::ViewRule* {
      for (const model::ViewRule& rule : profile.views)
        if (rule.name == name) return &rule;
      return nullptr;
    };
    std::set<std::string, std::less<>> reported;
    for (const model::ViewRule& start : profile.views) {
      if (start.name.empty() || start.name == start.base || reported.count(start.name) != 0) continue;
      std::vector<std::string> path{start.name};
      const model::ViewRule* rule = find(start.base);
      while (rule != nullptr && rule->name != start.name && path.size() <= profile.views.size()) {
        path.push_back(rule->name);
        rule = find(rule->base);
      }
      if (rule == nullptr || rule->name != start.name) continue;
      std::string text;
      for (const std::string& name : path) {
        text += name + " -> ";
        reported.insert(name);
      }
      report(DiagId::err_profile_view_cycle, start.pos, {text + start.name});
    }
  }

  const YamlDocument& doc_;
  const std::string& file_;
  DiagnosticBuffer diag_;
  std::vector<std::pair<std::string, SourcePos>> grantee_positions_;
};

}  // namespace

ProfileReadResult readProfileText(std::string_view text, const std::string& display_name) {
  ProfileReadResult result;
  result.source_text = std::string(text);
  result.diagnostics.addSource(display_name, result.source_text);  // a profile is small
  std::optional<YamlDocument> document = parseYaml(text, display_name, result.diagnostics);
  if (!document) return result;
  ProfileReader reader(*document, display_name);
  model::Profile profile = reader.read();
  reader.flushTo(result.diagnostics);
  if (!result.diagnostics.hasErrors()) result.profile = std::move(profile);
  return result;
}

ProfileReadResult readProfileFile(const std::string& path) {
  ProfileReadResult result;
  std::optional<std::string> text = readSourceFile(path, result.diagnostics);
  if (!text) return result;
  return readProfileText(*text, path);
}

std::string renderProfileDiagnostics(const ProfileReadResult& result) {
  return model::renderDiagnostics(result.diagnostics);
}

}  // namespace felisc::felis
