#include "schema_model/profile.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "schema_model/compare.h"
#include "schema_model/type_mapping.h"

namespace felisc::model {

namespace {

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

// Appended, not `"'" + std::string(name)`: that inlines to a memcpy GCC 12 at -O3
// wrongly reports as overlapping (-Wrestrict, GCC bug 105329).
std::string quoted(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '\'';
  out += name;
  out += '\'';
  return out;
}

/// `'a', 'b'` for messages.
std::string quotedList(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + quoted(name);
  return text;
}

std::string patternList(const Profile& profile) {
  std::string text;
  for (const std::string& pattern : profile.schemas) text += (text.empty() ? "" : ", ") + pattern;
  return text.empty() ? "no schema" : text;
}

const ViewRule* findRule(const Profile& profile, std::string_view name) {
  for (const ViewRule& rule : profile.views)
    if (rule.name == name) return &rule;
  return nullptr;
}

bool grantLess(const Grant& a, const Grant& b) {
  return std::tie(a.column, a.grantee, a.privilege, a.grantable) <
         std::tie(b.column, b.grantee, b.privilege, b.grantable);
}

/// Sorted as the catalog reader sorts them, duplicates removed.
void normalizeGrants(std::vector<Grant>& grants) {
  std::sort(grants.begin(), grants.end(), grantLess);
  grants.erase(std::unique(grants.begin(), grants.end()), grants.end());
}

void addGrants(std::vector<Grant>& grants, const ProfileGrant& rule) {
  for (const std::string& grantee : rule.grantees)
    for (const std::string& privilege : rule.privileges)
      grants.push_back(Grant{grantee, privilege, "", false});
}

std::vector<Grant> expandGrants(const std::vector<ProfileGrant>& rules) {
  std::vector<Grant> grants;
  for (const ProfileGrant& rule : rules) addGrants(grants, rule);
  normalizeGrants(grants);
  return grants;
}

/// The extra column as a database holds it.
Column resolvedExtraColumn(const ExtraColumnRule& rule) {
  Column column = rule.column;
  column.sql_type = postgresDialect().canonicalType(column);
  column.sql_default = postgresDialect().canonicalDefault(column);
  column.generation = Generation::None;
  return column;
}

/// The active view rules in dependency order: a view over another profile view
/// comes after it. `rules` are in profile order, and so is the result where the
/// dependencies allow. A cycle is reported (once) and its members left out.
std::vector<const ViewRule*> dependencyOrder(const std::vector<const ViewRule*>& rules,
                                             std::vector<std::string>* cycle) {
  std::map<std::string, const ViewRule*, std::less<>> by_name;
  for (const ViewRule* rule : rules) by_name.emplace(rule->name, rule);
  enum class Mark { None, Visiting, Done };
  std::map<std::string, Mark, std::less<>> marks;
  std::vector<const ViewRule*> order;
  std::vector<std::string> path;
  bool found_cycle = false;
  auto visit = [&](auto& self, const ViewRule* rule) -> bool {
    Mark& mark = marks[rule->name];
    if (mark == Mark::Done) return true;
    if (mark == Mark::Visiting) {
      if (!found_cycle && cycle != nullptr) {
        auto start = std::find(path.begin(), path.end(), rule->name);
        cycle->assign(start, path.end());
        cycle->push_back(rule->name);
      }
      found_cycle = true;
      return false;
    }
    mark = Mark::Visiting;
    path.push_back(rule->name);
    bool ok = true;
    if (auto base = by_name.find(rule->base); base != by_name.end()) ok = self(self, base->second);
    path.pop_back();
    marks[rule->name] = Mark::Done;
    if (ok) order.push_back(rule);
    return ok;
  };
  for (const ViewRule* rule : rules) visit(visit, rule);
  return order;
}

/// One column of a relation a view selects from.
struct BaseColumn {
  std::string name;
  std::string sql_type;
  std::optional<std::string> description;
};

/// The view's columns: (base column, view column) in the base's order.
struct ColumnMapping {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::vector<const ColumnRename*> unknown;                             ///< renames of no base column
  std::vector<std::pair<const ColumnRename*, std::string>> collisions;  ///< two view columns, one name
};

ColumnMapping mapColumns(const std::vector<BaseColumn>& base, const ViewRule& rule) {
  ColumnMapping mapping;
  for (const ColumnRename& rename : rule.renames) {
    bool found =
        std::any_of(base.begin(), base.end(), [&](const BaseColumn& c) { return c.name == rename.from; });
    if (!found) mapping.unknown.push_back(&rename);
  }
  std::map<std::string, int, std::less<>> uses;
  for (const BaseColumn& column : base) {
    std::string name = column.name;
    for (const ColumnRename& rename : rule.renames)
      if (rename.from == column.name) name = rename.to;
    ++uses[name];
    mapping.pairs.emplace_back(column.name, std::move(name));
  }
  // Base names are unique, so two view columns share a name only through a rename.
  for (const ColumnRename& rename : rule.renames) {
    auto count = uses.find(rename.to);
    if (count == uses.end() || count->second < 2) continue;
    bool reported = std::any_of(mapping.collisions.begin(), mapping.collisions.end(),
                                [&](const auto& collision) { return collision.second == rename.to; });
    if (!reported) mapping.collisions.emplace_back(&rename, rename.to);
  }
  return mapping;
}

std::vector<BaseColumn> baseColumnsOf(const Table& table) {
  std::vector<BaseColumn> columns;
  columns.reserve(table.columns.size());
  for (const Column& column : table.columns)
    columns.push_back(BaseColumn{column.name, column.sql_type, column.description});
  return columns;
}

std::vector<BaseColumn> baseColumnsOf(const View& view) {
  std::vector<BaseColumn> columns;
  columns.reserve(view.columns.size());
  for (const ViewColumn& column : view.columns)
    columns.push_back(BaseColumn{column.name, column.sql_type, column.description});
  return columns;
}

bool hasText(const std::optional<std::string>& text) { return text && !text->empty(); }

bool sameFkTarget(const Schema& schema, const Constraint& constraint,
                  const std::set<std::string, std::less<>>& names) {
  if (constraint.kind != ConstraintKind::ForeignKey) return false;
  if (!constraint.ref_schema.empty() && constraint.ref_schema != schema.name) return false;
  return names.count(constraint.ref_table) != 0;
}

/// Renames of columns the base lacks, and renames that give two columns one name:
/// an error at the Felis table, a note at the rename in the profile.
void reportMappingErrors(const ViewRule& rule, const Table& felis_table, const ColumnMapping& mapping,
                         Diagnostics& diagnostics, const std::string& felis_file,
                         const std::string& profile_file) {
  for (const ColumnRename* rename : mapping.unknown) {
    diagnostics.report(DiagId::err_profile_rename_unknown, felis_file, felis_table.pos,
                       {rule.name, rule.base, rename->from, rename->to});
    diagnostics.report(DiagId::note_profile_rule, profile_file, rename->pos, {rule.name});
  }
  for (const auto& [rename, name] : mapping.collisions) {
    diagnostics.report(DiagId::err_profile_rename_collision, felis_file, felis_table.pos,
                       {rule.name, rule.base, rename->from, name});
    diagnostics.report(DiagId::note_profile_rule, profile_file, rename->pos, {rule.name});
  }
}

// ---------------------------------------------------------------------------
// realize
// ---------------------------------------------------------------------------

class Realizer {
 public:
  Realizer(const Schema& felis, const Profile& profile, Diagnostics& diagnostics)
      : felis_(felis), profile_(profile), diag_(diagnostics), out_(felis) {}

  Schema run() {
    std::vector<const ViewRule*> active = activeRules();
    std::vector<std::string> cycle;
    std::vector<const ViewRule*> ordered = dependencyOrder(active, &cycle);
    if (!cycle.empty()) {
      std::string text;
      for (const std::string& name : cycle) text += (text.empty() ? "" : " -> ") + name;
      diag_.report(DiagId::err_profile_view_cycle, profile_.source_file,
                   findRule(profile_, cycle.front())->pos, {text});
    }
    for (const ViewRule* rule : active) view_names_.insert(rule->name);
    for (Table& table : out_.tables) {
      if (view_names_.count(table.name) != 0) continue;
      addExtraColumns(table);
    }
    collectTableGrants();
    for (Table& table : out_.tables) {
      if (auto grants = extra_grants_.find(table.name); grants != extra_grants_.end()) {
        table.grants.insert(table.grants.end(), grants->second.begin(), grants->second.end());
        normalizeGrants(table.grants);
      }
    }
    std::vector<View> views;
    for (const ViewRule* rule : ordered) {
      if (std::optional<View> view = buildView(*rule, views)) views.push_back(std::move(*view));
    }
    removeViewTables();
    for (View& view : views) out_.views.push_back(std::move(view));
    return std::move(out_);
  }

 private:
  /// Rules whose Felis table the schema has; a required one it lacks is an error.
  std::vector<const ViewRule*> activeRules() {
    std::vector<const ViewRule*> active;
    for (const ViewRule& rule : profile_.views) {
      if (felis_.findTable(rule.name) != nullptr) {
        active.push_back(&rule);
      } else if (rule.required) {
        diag_.report(DiagId::err_profile_view_table_missing, profile_.source_file, rule.pos,
                     {rule.name, rule.base, felis_.name});
      }
    }
    return active;
  }

  void addExtraColumns(Table& table) {
    std::set<std::string, std::less<>> added;
    for (const ExtraColumnRule& rule : profile_.extra_columns) {
      const Column* trigger = table.findColumn(rule.when_column);
      if (trigger == nullptr) continue;
      Column extra = resolvedExtraColumn(rule);
      if (const Column* existing = table.findColumn(extra.name)) {
        if (existing->sql_type != extra.sql_type) {
          diag_.report(DiagId::warn_profile_extra_column_exists, felis_.source_file, existing->pos,
                       {table.name, extra.name, existing->sql_type, extra.sql_type});
        }
        continue;
      }
      std::size_t at = table.columns.size();
      if (rule.position == ExtraColumnPosition::AfterTrigger) {
        at = static_cast<std::size_t>(trigger - table.columns.data()) + 1;
        while (at < table.columns.size() && added.count(table.columns[at].name) != 0) ++at;
      }
      added.insert(extra.name);
      table.columns.insert(table.columns.begin() + static_cast<std::ptrdiff_t>(at), std::move(extra));
    }
  }

  /// Grants of the table rules, by relation name (a view-realized table takes them
  /// on its view).
  void collectTableGrants() {
    for (const TableGrantRule& rule : profile_.table_grants) {
      if (rule.all_tables) {
        for (const Table& table : out_.tables)
          if (view_names_.count(table.name) == 0) addGrants(extra_grants_[table.name], rule.grant);
        continue;
      }
      for (const std::string& name : rule.tables) {
        if (felis_.findTable(name) == nullptr) {
          diag_.report(DiagId::warn_profile_grant_table_missing, profile_.source_file, rule.pos,
                       {name, felis_.name});
          continue;
        }
        addGrants(extra_grants_[name], rule.grant);
      }
    }
  }

  /// The columns of a view's base: an earlier view, or a realized table.
  std::optional<std::vector<BaseColumn>> baseColumns(const ViewRule& rule,
                                                     const std::vector<View>& built) const {
    for (const View& view : built)
      if (view.name == rule.base) return baseColumnsOf(view);
    if (view_names_.count(rule.base) != 0) return std::nullopt;  // a view that could not be built
    if (const Table* table = out_.findTable(rule.base)) return baseColumnsOf(*table);
    return std::nullopt;
  }

  std::optional<View> buildView(const ViewRule& rule, const std::vector<View>& built) {
    const Table& felis_table = *felis_.findTable(rule.name);
    std::optional<std::vector<BaseColumn>> base = baseColumns(rule, built);
    if (!base) {
      // A view whose base view failed was reported with that view.
      if (view_names_.count(rule.base) == 0) {
        diag_.report(DiagId::err_profile_base_missing, felis_.source_file, felis_table.pos,
                     {rule.name, rule.base});
        diag_.report(DiagId::note_profile_rule, profile_.source_file, rule.pos, {rule.name});
      }
      return std::nullopt;
    }
    ColumnMapping mapping = mapColumns(*base, rule);
    if (!mapping.unknown.empty() || !mapping.collisions.empty()) {
      reportMappingErrors(rule, felis_table, mapping, diag_, felis_.source_file, profile_.source_file);
      return std::nullopt;
    }
    View view;
    view.name = rule.name;
    view.description = felis_table.description;
    view.generated = true;
    view.pos = felis_table.pos;
    for (std::size_t i = 0; i < base->size(); ++i) {
      const BaseColumn& column = (*base)[i];
      const std::string& name = mapping.pairs[i].second;
      const Column* felis_column = felis_table.findColumn(name);
      view.columns.push_back(ViewColumn{name, column.sql_type,
                                        felis_column != nullptr && hasText(felis_column->description)
                                            ? felis_column->description
                                            : column.description});
      view.depends_on.push_back(ViewDependency{out_.name, rule.base, column.name});
    }
    std::sort(view.depends_on.begin(), view.depends_on.end(),
              [](const ViewDependency& a, const ViewDependency& b) {
                return std::tie(a.schema, a.relation, a.column) < std::tie(b.schema, b.relation, b.column);
              });
    view.definition = viewSelectSql(out_.name, rule.base, mapping.pairs);
    view.grants = expandGrants(rule.grants);
    if (auto grants = extra_grants_.find(rule.name); grants != extra_grants_.end())
      view.grants.insert(view.grants.end(), grants->second.begin(), grants->second.end());
    normalizeGrants(view.grants);
    return view;
  }

 private:
  void removeViewTables() {
    std::erase_if(out_.tables, [&](const Table& table) { return view_names_.count(table.name) != 0; });
    for (Table& table : out_.tables) {
      std::erase_if(table.constraints, [&](const Constraint& constraint) {
        if (!sameFkTarget(out_, constraint, view_names_)) return false;
        diag_.report(DiagId::warn_profile_fk_dropped, felis_.source_file, constraint.pos,
                     {constraint.name, table.name, constraint.ref_table});
        return true;
      });
    }
  }

  const Schema& felis_;
  const Profile& profile_;
  Diagnostics& diag_;
  Schema out_;
  std::set<std::string, std::less<>> view_names_;
  std::map<std::string, std::vector<Grant>, std::less<>> extra_grants_;
};

// ---------------------------------------------------------------------------
// unrealize
// ---------------------------------------------------------------------------

void removeExplainedGrants(std::vector<Grant>& grants, const std::vector<Grant>& explained) {
  std::erase_if(grants, [&](const Grant& grant) {
    return std::find(explained.begin(), explained.end(), grant) != explained.end();
  });
}

/// A catalog column copied into a Felis table standing for a view: what only a
/// table column has (default, serial, identity) is not the view's.
Column viewTableColumn(const Column& base, const std::string& name, const ViewColumn* view_column) {
  Column column = base;
  column.name = name;
  column.id.clear();
  column.sql_default.reset();
  column.value.reset();
  column.autoincrement.reset();
  column.generation = Generation::None;
  column.sequence.clear();
  column.pos = {};
  if (view_column != nullptr) column.description = view_column->description;
  return column;
}

const ViewColumn* findViewColumn(const View& view, std::string_view name) {
  for (const ViewColumn& column : view.columns)
    if (column.name == name) return &column;
  return nullptr;
}

/// Inserts `table` before the first table whose name sorts after it (catalog
/// models are in name order; others keep theirs where it fits).
void insertTable(Schema& schema, Table table) {
  auto at = std::find_if(schema.tables.begin(), schema.tables.end(),
                         [&](const Table& other) { return table.name < other.name; });
  schema.tables.insert(at, std::move(table));
}

void removeExtraColumns(Table& table, const Profile& profile) {
  for (const ExtraColumnRule& rule : profile.extra_columns) {
    if (table.findColumn(rule.when_column) == nullptr) continue;
    const Column extra = resolvedExtraColumn(rule);
    std::erase_if(table.columns, [&](const Column& column) {
      return column.name == extra.name && column.sql_type == extra.sql_type;
    });
  }
}

std::vector<Grant> tableGrantsFor(const Profile& profile, const std::string& table_name, bool is_view) {
  std::vector<Grant> grants;
  for (const TableGrantRule& rule : profile.table_grants) {
    bool named = std::find(rule.tables.begin(), rule.tables.end(), table_name) != rule.tables.end();
    if ((rule.all_tables && !is_view) || named) addGrants(grants, rule.grant);
  }
  return grants;
}

// ---------------------------------------------------------------------------
// checkDeployment
// ---------------------------------------------------------------------------

std::string showGrant(const Grant& grant) {
  std::string text = grant.privilege;
  if (!grant.column.empty()) text += "(" + grant.column + ")";
  text += " to " + grant.grantee;
  if (grant.grantable) text += " with grant option";
  return text;
}

/// "missing SELECT to usdf; unexpected INSERT to oods"; empty when equal.
std::string grantDifferences(const std::vector<Grant>& expected, const std::vector<Grant>& actual,
                             bool report_unexpected) {
  std::vector<std::string> missing;
  std::vector<std::string> unexpected;
  for (const Grant& grant : expected)
    if (std::find(actual.begin(), actual.end(), grant) == actual.end()) missing.push_back(showGrant(grant));
  if (report_unexpected)
    for (const Grant& grant : actual)
      if (std::find(expected.begin(), expected.end(), grant) == expected.end())
        unexpected.push_back(showGrant(grant));
  std::string text;
  auto join = [](const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
  };
  if (!missing.empty()) text += "missing " + join(missing);
  if (!unexpected.empty()) text += std::string(text.empty() ? "" : "; ") + "unexpected " + join(unexpected);
  return text;
}

std::string showColumns(const std::vector<ViewColumn>& columns) {
  std::string text;
  for (const ViewColumn& column : columns)
    text += (text.empty() ? "" : ", ") + column.name + " " + column.sql_type;
  return text;
}

/// A view definition reduced for comparison: tokens as normalizeSqlExpression()
/// gives them, without the final `;` pg_get_viewdef() writes.
std::string comparableDefinition(std::string_view definition) {
  std::string text = normalizeSqlExpression(definition);
  while (!text.empty() && (text.back() == ';' || text.back() == ' ')) text.pop_back();
  return text;
}

/// White space runs as one space, no leading or trailing space.
std::string oneLine(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

/// The columns whose comments differ (empty and none being the same), as `'a', 'b'`.
std::string commentDifferences(const std::vector<ViewColumn>& expected,
                               const std::vector<ViewColumn>& actual) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < expected.size() && i < actual.size(); ++i) {
    const auto& a = expected[i].description;
    const auto& b = actual[i].description;
    if (hasText(a) != hasText(b) || (hasText(a) && *a != *b)) names.push_back(expected[i].name);
  }
  return quotedList(names);
}

class DeploymentChecker {
 public:
  DeploymentChecker(const Schema& catalog, const Schema& realized, const Profile& profile,
                    const ServerObjects& server, Diagnostics& diagnostics)
      : catalog_(catalog), realized_(realized), profile_(profile), server_(server), diag_(diagnostics) {}

  void run() {
    checkRequirements();
    for (const View& view : realized_.views) {
      if (!view.generated) continue;
      if (const ViewRule* rule = findRule(profile_, view.name)) checkView(*rule, view);
    }
    for (const Table& table : realized_.tables) {
      const Table* deployed = catalog_.findTable(table.name);
      if (deployed == nullptr) continue;  // a missing table is the diff's business
      checkExtraColumns(table, *deployed);
      checkTableGrants(table, *deployed);
    }
  }

 private:
  void report(DiagId id, SourcePos pos, std::initializer_list<std::string_view> args) {
    diag_.report(id, profile_.source_file, pos, args);
  }

  void checkRequirements() {
    auto has = [](const std::vector<std::string>& names, const std::string& name) {
      return std::find(names.begin(), names.end(), name) != names.end();
    };
    for (const ProfileRequirement& role : profile_.roles)
      if (!has(server_.roles, role.name))
        report(DiagId::warn_deploy_role_missing, role.pos, {role.name, profile_.name});
    for (const ProfileRequirement& extension : profile_.extensions)
      if (!has(server_.extensions, extension.name))
        report(DiagId::warn_deploy_extension_missing, extension.pos, {extension.name, profile_.name});
  }

  void checkView(const ViewRule& rule, const View& expected) {
    const View* actual = catalog_.findView(expected.name);
    if (actual == nullptr) {
      DiagId id = catalog_.findTable(expected.name) != nullptr ? DiagId::warn_deploy_view_is_table
                                                               : DiagId::warn_deploy_view_missing;
      report(id, rule.pos, {profile_.name, rule.name, rule.base, catalog_.name});
      return;
    }
    if (actual->materialized) {
      report(DiagId::warn_deploy_view_definition, rule.pos,
             {rule.name, rule.base, "it is a materialized view"});
    }
    std::string expected_columns = showColumns(expected.columns);
    std::string actual_columns = showColumns(actual->columns);
    if (expected_columns != actual_columns) {
      report(DiagId::warn_deploy_view_columns, rule.pos,
             {rule.name, rule.base, "expected " + expected_columns + "; the database has " + actual_columns});
    } else if (std::string names = commentDifferences(expected.columns, actual->columns); !names.empty()) {
      report(DiagId::warn_deploy_view_columns, rule.pos,
             {rule.name, rule.base, "the comments of " + names + " differ"});
    }
    if (comparableDefinition(actual->definition) != expectedDefinition(expected)) {
      report(DiagId::warn_deploy_view_definition, rule.pos,
             {rule.name, rule.base, "the database defines it as '" + oneLine(actual->definition) + "'"});
    }
    std::string grants = grantDifferences(expected.grants, actual->grants, true);
    if (!grants.empty()) report(DiagId::warn_deploy_grants, rule.pos, {"view", rule.name, grants});
  }

  /// pg_get_viewdef() leaves out the schema of a relation on the search path, which
  /// the catalog reader sets to `public`.
  std::string expectedDefinition(const View& expected) const {
    std::string text = comparableDefinition(expected.definition);
    if (realized_.name != "public") return text;
    const std::string qualified = " from public.";
    if (std::size_t at = text.rfind(qualified); at != std::string::npos)
      text.replace(at, qualified.size(), " from ");
    return text;
  }

  void checkExtraColumns(const Table& table, const Table& deployed) {
    for (const ExtraColumnRule& rule : profile_.extra_columns) {
      if (table.findColumn(rule.when_column) == nullptr) continue;
      const Column* expected = table.findColumn(rule.column.name);
      if (expected == nullptr) continue;
      const Column* actual = deployed.findColumn(rule.column.name);
      if (actual == nullptr) {
        report(DiagId::warn_deploy_extra_column_missing, rule.pos,
               {table.name, rule.column.name, expected->sql_type, profile_.name, rule.when_column});
      } else if (actual->sql_type != expected->sql_type) {
        report(DiagId::warn_deploy_extra_column_type, rule.pos,
               {rule.column.name, table.name, actual->sql_type, profile_.name, expected->sql_type});
      }
    }
  }

  void checkTableGrants(const Table& table, const Table& deployed) {
    std::vector<Grant> expected = tableGrantsFor(profile_, table.name, false);
    if (expected.empty()) return;
    normalizeGrants(expected);
    std::string grants = grantDifferences(expected, deployed.grants, false);
    if (grants.empty()) return;
    SourcePos pos = profile_.table_grants.empty() ? profile_.pos : profile_.table_grants.front().pos;
    report(DiagId::warn_deploy_grants, pos, {"table", table.name, grants});
  }

  const Schema& catalog_;
  const Schema& realized_;
  const Profile& profile_;
  const ServerObjects& server_;
  Diagnostics& diag_;
};

}  // namespace

// ---------------------------------------------------------------------------
// Public functions
// ---------------------------------------------------------------------------

bool validGlob(std::string_view pattern) {
  if (pattern.empty()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '[') continue;
    std::size_t close = pattern.find(']', i + 2);  // a ']' right after '[' or '[!' is a member
    if (i + 1 < pattern.size() && pattern[i + 1] == '!') close = pattern.find(']', i + 3);
    if (close == std::string_view::npos) return false;
    i = close;
  }
  return true;
}

namespace {

/// Matches one `[...]` set at pattern[at] against `c`; `end` is set past the `]`.
bool matchSet(std::string_view pattern, std::size_t at, char c, std::size_t& end) {
  std::size_t i = at + 1;
  bool negate = i < pattern.size() && pattern[i] == '!';
  if (negate) ++i;
  bool matched = false;
  bool first = true;
  for (; i < pattern.size() && (first || pattern[i] != ']'); first = false) {
    char low = pattern[i];
    char high = low;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      high = pattern[i + 2];
      i += 3;
    } else {
      ++i;
    }
    if (low <= c && c <= high) matched = true;
  }
  end = i + 1;
  return matched != negate;
}

}  // namespace

bool globMatch(std::string_view pattern, std::string_view name) {
  if (!validGlob(pattern)) return false;
  // Iterative matching with one backtracking point for the last `*`.
  std::size_t p = 0;
  std::size_t n = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_n = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_n = n;
      continue;
    }
    if (p < pattern.size()) {
      std::size_t next = p + 1;
      bool ok = false;
      if (pattern[p] == '?') {
        ok = true;
      } else if (pattern[p] == '[') {
        ok = matchSet(pattern, p, name[n], next);
      } else {
        ok = pattern[p] == name[n];
      }
      if (ok) {
        p = next;
        ++n;
        continue;
      }
    }
    if (star == std::string_view::npos) return false;
    p = star + 1;
    n = ++star_n;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool appliesTo(const Profile& profile, std::string_view schema_name) {
  return std::any_of(profile.schemas.begin(), profile.schemas.end(),
                     [&](const std::string& pattern) { return globMatch(pattern, schema_name); });
}

std::string viewSelectSql(const std::string& schema_name, const std::string& base_relation,
                          const std::vector<std::pair<std::string, std::string>>& columns) {
  const std::string base = postgresQuoteIdentifier(base_relation);
  std::string sql = "SELECT";
  bool first = true;
  for (const auto& [from, to] : columns) {
    sql += first ? " " : ", ";
    first = false;
    sql += base + "." + postgresQuoteIdentifier(from);
    if (from != to) sql += " AS " + postgresQuoteIdentifier(to);
  }
  return sql + " FROM " + postgresQuoteIdentifier(schema_name) + "." + base;
}

Schema realize(const Schema& felis, const Profile& profile, Diagnostics& diagnostics) {
  if (!appliesTo(profile, felis.name)) {
    diagnostics.report(DiagId::warn_profile_not_applicable, felis.source_file, felis.pos,
                       {profile.name, felis.name, patternList(profile)});
    return felis;
  }
  return Realizer(felis, profile, diagnostics).run();
}

Schema unrealize(const Schema& deployed, const Profile& profile) {
  Schema out = deployed;
  if (!appliesTo(profile, deployed.name)) return out;
  for (Table& table : out.tables) {
    removeExtraColumns(table, profile);
    std::vector<Grant> explained = tableGrantsFor(profile, table.name, false);
    removeExplainedGrants(table.grants, explained);
  }
  std::vector<const ViewRule*> rules;
  for (const ViewRule& rule : profile.views) rules.push_back(&rule);
  for (const ViewRule* rule : dependencyOrder(rules, nullptr)) {
    auto view = std::find_if(out.views.begin(), out.views.end(),
                             [&](const View& candidate) { return candidate.name == rule->name; });
    const Table* base = out.findTable(rule->base);
    if (view == out.views.end() || base == nullptr || out.findTable(rule->name) != nullptr) continue;
    Table table;
    table.name = view->name;
    table.description = view->description;
    table.owner = view->owner;
    table.grants = view->grants;
    std::vector<Grant> explained = expandGrants(rule->grants);
    std::vector<Grant> table_rules = tableGrantsFor(profile, rule->name, true);
    explained.insert(explained.end(), table_rules.begin(), table_rules.end());
    removeExplainedGrants(table.grants, explained);
    for (const Column& column : base->columns) {
      std::string name = column.name;
      for (const ColumnRename& rename : rule->renames)
        if (rename.from == column.name) name = rename.to;
      table.columns.push_back(viewTableColumn(column, name, findViewColumn(*view, name)));
    }
    out.views.erase(view);
    insertTable(out, std::move(table));
  }
  return out;
}

Diagnostics checkViewTables(const Schema& felis, const Profile& profile) {
  Diagnostics diagnostics;
  if (!appliesTo(profile, felis.name)) {
    diagnostics.report(DiagId::warn_profile_not_applicable, felis.source_file, felis.pos,
                       {profile.name, felis.name, patternList(profile)});
    return diagnostics;
  }
  for (const ViewRule& rule : profile.views) {
    const Table* table = felis.findTable(rule.name);
    if (table == nullptr) {
      if (rule.required)
        diagnostics.report(DiagId::err_profile_view_table_missing, profile.source_file, rule.pos,
                           {rule.name, rule.base, felis.name});
      continue;
    }
    const Table* base = felis.findTable(rule.base);
    if (base == nullptr) {
      diagnostics.report(DiagId::err_profile_base_missing, felis.source_file, table->pos,
                         {rule.name, rule.base});
      diagnostics.report(DiagId::note_profile_rule, profile.source_file, rule.pos, {rule.name});
      continue;
    }
    ColumnMapping mapping = mapColumns(baseColumnsOf(*base), rule);
    if (!mapping.unknown.empty() || !mapping.collisions.empty()) {
      reportMappingErrors(rule, *table, mapping, diagnostics, felis.source_file, profile.source_file);
      continue;
    }
    std::vector<std::string> missing;
    for (const auto& [from, to] : mapping.pairs)
      if (table->findColumn(to) == nullptr) missing.push_back(to);
    std::vector<std::string> extra;
    for (const Column& column : table->columns) {
      bool given = std::any_of(mapping.pairs.begin(), mapping.pairs.end(),
                               [&](const auto& pair) { return pair.second == column.name; });
      if (!given) extra.push_back(column.name);
    }
    if (!missing.empty())
      diagnostics.report(
          DiagId::err_view_table_missing_columns, felis.source_file, table->pos,
          {rule.name, rule.base, missing.size() == 1 ? "a column" : "columns", quotedList(missing)});
    if (!extra.empty())
      diagnostics.report(
          DiagId::err_view_table_extra_columns, felis.source_file, table->pos,
          {rule.name, rule.base, extra.size() == 1 ? "a column" : "columns", quotedList(extra)});
    for (const Column& column : table->columns) {
      for (const auto& [from, to] : mapping.pairs) {
        if (to != column.name) continue;
        const Column& base_column = *base->findColumn(from);
        if (base_column.sql_type != column.sql_type)
          diagnostics.report(
              DiagId::err_view_table_column_type, felis.source_file, column.pos,
              {column.name, rule.name, column.sql_type, rule.base, base_column.sql_type, from});
      }
    }
  }
  return diagnostics;
}

Diagnostics checkDeployment(const Schema& catalog, const Schema& realized, const Profile& profile,
                            const ServerObjects& server) {
  Diagnostics diagnostics;
  if (!appliesTo(profile, realized.name)) return diagnostics;
  DeploymentChecker(catalog, realized, profile, server, diagnostics).run();
  return diagnostics;
}

}  // namespace felisc::model
