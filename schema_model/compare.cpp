#include "schema_model/compare.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <unordered_set>

#include "schema_model/resolve.h"

namespace felisc::model {

namespace {

/// Collects differences under a path such as {"table exposure", "column foo"}.
class Differences {
 public:
  explicit Differences(std::vector<Difference>& items) : items_(items) {}
  Differences(Differences& parent, const std::string& scope) : items_(parent.items_), path_(parent.path_) {
    path_.push_back(scope);
  }

  /// The object of this path is in expected only.
  void missing() { items_.push_back(Difference{path_, "missing", "present", "absent"}); }
  /// The object of this path is in actual only.
  void unexpected() { items_.push_back(Difference{path_, "unexpected", "absent", "present"}); }
  void field(std::string_view name, const std::string& expected, const std::string& actual) {
    if (expected != actual) changed(name, expected, actual);
  }
  /// A property that differs (the caller has decided it does).
  void changed(std::string_view name, const std::string& expected, const std::string& actual) {
    items_.push_back(Difference{path_, std::string(name), expected, actual});
  }

 private:
  std::vector<Difference>& items_;
  std::vector<std::string> path_;
};

std::string show(const std::optional<std::string>& text) { return text ? *text : "none"; }
std::string show(bool flag) { return flag ? "true" : "false"; }

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return "(" + out + ")";
}

/// PostgreSQL drops an empty comment: none and "" are the same.
std::optional<std::string> comment(const std::optional<std::string>& description) {
  if (!description || description->empty()) return std::nullopt;
  return description;
}

std::string_view generationName(Generation generation) {
  switch (generation) {
    case Generation::None: return "none";
    case Generation::Serial: return "serial";
    case Generation::IdentityAlways: return "identity always";
    case Generation::IdentityByDefault: return "identity by default";
  }
  return "none";
}

std::string_view constraintKindName(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::Unique: return "unique";
    case ConstraintKind::ForeignKey: return "foreign key";
    case ConstraintKind::Check: return "check";
  }
  return "unique";
}

std::string showExpression(const std::string& text) { return text.empty() ? "none" : text; }

bool sameExpression(const std::string& a, const std::string& b) {
  return a == b || normalizeSqlExpression(a) == normalizeSqlExpression(b);
}

void compareExpression(Differences& out, std::string_view field, const std::string& expected,
                       const std::string& actual) {
  if (!sameExpression(expected, actual)) out.changed(field, showExpression(expected), showExpression(actual));
}

template <typename Item>
const Item* byName(const std::vector<Item>& items, const std::string& name) {
  for (const Item& item : items)
    if (item.name == name) return &item;
  return nullptr;
}

/// Names of `items` that `others` also has, in `items`' order.
template <typename Item, typename Other>
std::vector<std::string> sharedNames(const std::vector<Item>& items, const std::vector<Other>& others) {
  std::unordered_set<std::string> other_names;
  for (const Other& other : others) other_names.insert(other.name);
  std::vector<std::string> names;
  for (const Item& item : items)
    if (other_names.contains(item.name)) names.push_back(item.name);
  return names;
}

/// Matches two lists by name: `compare` for each pair, "missing" / "unexpected" for
/// the rest, except items `absent` says a database cannot hold under their name.
template <typename Item, typename Compare>
void matchByName(Differences& out, std::string_view kind, const std::vector<Item>& expected,
                 const std::vector<Item>& actual, Compare compare,
                 const std::function<bool(const Item&, bool expected_side)>& absent = {}) {
  for (const Item& item : expected) {
    Differences scope(out, std::string(kind) + " " + item.name);
    if (const Item* other = byName(actual, item.name))
      compare(scope, item, *other);
    else if (!absent || !absent(item, true))
      scope.missing();
  }
  for (const Item& item : actual)
    if (byName(expected, item.name) == nullptr && (!absent || !absent(item, false)))
      Differences(out, std::string(kind) + " " + item.name).unexpected();
}

bool inPrimaryKey(const Table& table, const std::string& column) {
  if (!table.primary_key) return false;
  const auto& columns = table.primary_key->columns;
  return std::find(columns.begin(), columns.end(), column) != columns.end();
}

void compareColumn(Differences& out, const Table& expected_table, const Column& expected,
                   const Table& actual_table, const Column& actual) {
  out.field("type", expected.sql_type, actual.sql_type);
  // A primary key column is NOT NULL in the database whatever the file says.
  bool expected_nullable = expected.nullable && !inPrimaryKey(expected_table, expected.name);
  bool actual_nullable = actual.nullable && !inPrimaryKey(actual_table, actual.name);
  out.field("nullable", show(expected_nullable), show(actual_nullable));
  out.field("default", show(expected.sql_default), show(actual.sql_default));
  out.field("generation", std::string(generationName(expected.generation)),
            std::string(generationName(actual.generation)));
  if (expected.generation != Generation::None && expected.generation == actual.generation)
    out.field("sequence", expected.sequence, actual.sequence);
  out.field("description", show(comment(expected.description)), show(comment(actual.description)));
}

void compareColumns(Differences& out, const Table& expected, const Table& actual) {
  std::vector<std::string> expected_order = sharedNames(expected.columns, actual.columns);
  std::vector<std::string> actual_order = sharedNames(actual.columns, expected.columns);
  if (expected_order != actual_order) out.field("column order", join(expected_order), join(actual_order));
  matchByName(out, "column", expected.columns, actual.columns,
              [&](Differences& scope, const Column& a, const Column& b) {
                compareColumn(scope, expected, a, actual, b);
              });
}

std::string showPrimaryKey(const std::optional<PrimaryKey>& key) {
  if (!key) return "none";
  return key->name + " " + join(key->columns);
}

void compareConstraint(Differences& out, const Constraint& expected, const Constraint& actual) {
  out.field("kind", std::string(constraintKindName(expected.kind)),
            std::string(constraintKindName(actual.kind)));
  if (expected.kind != actual.kind) return;
  if (expected.kind != ConstraintKind::Check)
    out.field("columns", join(expected.columns), join(actual.columns));
  if (expected.kind == ConstraintKind::ForeignKey) {
    out.field("referenced schema", expected.ref_schema.empty() ? "same" : expected.ref_schema,
              actual.ref_schema.empty() ? "same" : actual.ref_schema);
    out.field("referenced table", expected.ref_table, actual.ref_table);
    out.field("referenced columns", join(expected.ref_columns), join(actual.ref_columns));
    out.field("on delete", std::string(fkActionSql(expected.on_delete)),
              std::string(fkActionSql(actual.on_delete)));
    out.field("on update", std::string(fkActionSql(expected.on_update)),
              std::string(fkActionSql(actual.on_update)));
  }
  if (expected.kind == ConstraintKind::Check)
    compareExpression(out, "expression", expected.expression, actual.expression);
  out.field("deferrable", show(expected.deferrable), show(actual.deferrable));
  out.field("initially deferred", show(expected.initially_deferred), show(actual.initially_deferred));
  out.field("description", show(comment(expected.description)), show(comment(actual.description)));
}

std::string showElements(const std::vector<IndexElement>& elements) {
  std::vector<std::string> texts;
  texts.reserve(elements.size());
  for (const IndexElement& element : elements) texts.push_back(element.text);
  return join(texts);
}

void compareIndex(Differences& out, const Index& expected, const Index& actual) {
  bool same_elements = expected.elements.size() == actual.elements.size();
  for (std::size_t i = 0; same_elements && i < expected.elements.size(); ++i) {
    const IndexElement& a = expected.elements[i];
    const IndexElement& b = actual.elements[i];
    same_elements = a.is_expression == b.is_expression &&
                    (a.is_expression ? sameExpression(a.text, b.text) : a.text == b.text);
  }
  if (!same_elements) out.field("keys", showElements(expected.elements), showElements(actual.elements));
  out.field("unique", show(expected.unique), show(actual.unique));
  out.field("method", expected.method, actual.method);
  compareExpression(out, "predicate", expected.predicate, actual.predicate);
  out.field("description", show(comment(expected.description)), show(comment(actual.description)));
}

std::string showGrants(std::vector<Grant> grants) {
  std::sort(grants.begin(), grants.end(), [](const Grant& a, const Grant& b) {
    return std::tie(a.column, a.grantee, a.privilege, a.grantable) <
           std::tie(b.column, b.grantee, b.privilege, b.grantable);
  });
  std::vector<std::string> texts;
  for (const Grant& grant : grants) {
    std::string text = grant.privilege;
    if (!grant.column.empty()) text += "(" + grant.column + ")";
    text += " to " + grant.grantee;
    if (grant.grantable) text += " with grant option";
    texts.push_back(std::move(text));
  }
  return join(texts);
}

struct PrivilegeRules {
  bool grants = false;  ///< both models come from a catalog
};

void compareOwnership(Differences& out, const std::string& expected_owner,
                      const std::vector<Grant>& expected_grants, const std::string& actual_owner,
                      const std::vector<Grant>& actual_grants, const PrivilegeRules& rules) {
  if (!expected_owner.empty() && !actual_owner.empty()) out.field("owner", expected_owner, actual_owner);
  if (rules.grants) out.field("grants", showGrants(expected_grants), showGrants(actual_grants));
}

void compareTable(Differences& out, const Table& expected, const Table& actual, const PrivilegeRules& rules) {
  out.field("description", show(comment(expected.description)), show(comment(actual.description)));
  compareColumns(out, expected, actual);
  out.field("primary key", showPrimaryKey(expected.primary_key), showPrimaryKey(actual.primary_key));
  // The key's comment, under the key's constraint name as a catalog names it.
  if (expected.primary_key && actual.primary_key && expected.primary_key->name == actual.primary_key->name)
    Differences(out, "constraint " + expected.primary_key->name)
        .field("description", show(comment(primaryKeyDescription(expected))),
               show(comment(primaryKeyDescription(actual))));
  // A unique constraint PostgreSQL folds into the key or into an identical one
  // (resolve.h: mergedIntoConstraint) never reaches a catalog under its own name.
  std::function<bool(const Constraint&, bool)> folded = [&](const Constraint& constraint,
                                                            bool expected_side) {
    return mergedIntoConstraint(expected_side ? expected : actual, constraint).has_value();
  };
  // A unique one side folds into the key and a catalog holds on its own
  // (Constraint::stands_alone) is in one catalog only, whatever its name.
  auto compare_constraint = [&](Differences& scope, const Constraint& a, const Constraint& b) {
    const bool folded_a = folded(a, true);
    const bool folded_b = folded(b, false);
    if (folded_a != folded_b && (a.stands_alone || b.stands_alone)) {
      if (folded_a)
        scope.unexpected();
      else
        scope.missing();
      return;
    }
    compareConstraint(scope, a, b);
  };
  matchByName<Constraint>(out, "constraint", expected.constraints, actual.constraints, compare_constraint,
                          folded);
  matchByName(out, "index", expected.indexes, actual.indexes, compareIndex);
  compareOwnership(out, expected.owner, expected.grants, actual.owner, actual.grants, rules);
}

std::string showDependencies(std::vector<ViewDependency> dependencies) {
  std::sort(dependencies.begin(), dependencies.end(), [](const ViewDependency& a, const ViewDependency& b) {
    return std::tie(a.schema, a.relation, a.column) < std::tie(b.schema, b.relation, b.column);
  });
  std::vector<std::string> texts;
  for (const ViewDependency& dependency : dependencies)
    texts.push_back(dependency.schema + "." + dependency.relation +
                    (dependency.column.empty() ? "" : "." + dependency.column));
  return join(texts);
}

void compareView(Differences& out, const View& expected, const View& actual, const PrivilegeRules& rules) {
  out.field("materialized", show(expected.materialized), show(actual.materialized));
  // A view a profile rule wrote holds felisc's spelling of its SELECT, a catalog
  // view pg_get_viewdef's: such a pair compares by what the SELECT gives (columns,
  // dependencies) and the rest, never by the text.
  if (!expected.generated && !actual.generated)
    out.field("definition", expected.definition, actual.definition);
  std::vector<std::string> expected_columns;
  std::vector<std::string> actual_columns;
  for (const ViewColumn& column : expected.columns)
    expected_columns.push_back(column.name + " " + column.sql_type);
  for (const ViewColumn& column : actual.columns)
    actual_columns.push_back(column.name + " " + column.sql_type);
  out.field("columns", join(expected_columns), join(actual_columns));
  for (const ViewColumn& column : expected.columns)
    if (const ViewColumn* other = byName(actual.columns, column.name))
      Differences(out, "column " + column.name)
          .field("description", show(comment(column.description)), show(comment(other->description)));
  out.field("description", show(comment(expected.description)), show(comment(actual.description)));
  std::vector<std::string> expected_options = expected.options;
  std::vector<std::string> actual_options = actual.options;
  std::sort(expected_options.begin(), expected_options.end());
  std::sort(actual_options.begin(), actual_options.end());
  out.field("options", join(expected_options), join(actual_options));
  out.field("depends on", showDependencies(expected.depends_on), showDependencies(actual.depends_on));
  matchByName(out, "index", expected.indexes, actual.indexes, compareIndex);
  compareOwnership(out, expected.owner, expected.grants, actual.owner, actual.grants, rules);
}

}  // namespace

std::string normalizeSqlExpression(std::string_view expression) {
  // Tokens joined by one space: quoted strings and identifiers as written, words
  // lower-cased, runs of operator characters, commas; parentheses dropped.
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
  };
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::vector<std::string> tokens;
  std::size_t i = 0;
  while (i < expression.size()) {
    char c = expression[i];
    if (is_space(c) || c == '(' || c == ')') {
      ++i;
    } else if (c == '\'' || c == '"') {
      std::size_t start = i++;
      while (i < expression.size()) {
        if (expression[i] == c && i + 1 < expression.size() && expression[i + 1] == c) {
          i += 2;
        } else if (expression[i] == c) {
          ++i;
          break;
        } else {
          ++i;
        }
      }
      tokens.emplace_back(expression.substr(start, i - start));
    } else if (is_word(c)) {
      std::string word;
      for (; i < expression.size() && is_word(expression[i]); ++i) {
        char w = expression[i];
        word += (w >= 'A' && w <= 'Z') ? static_cast<char>(w - 'A' + 'a') : w;
      }
      tokens.push_back(std::move(word));
    } else if (c == ',') {
      tokens.emplace_back(",");
      ++i;
    } else {
      std::string op;
      for (; i < expression.size(); ++i) {
        char o = expression[i];
        if (is_word(o) || is_space(o) || o == '(' || o == ')' || o == ',' || o == '\'' || o == '"') break;
        op += o;
      }
      tokens.push_back(std::move(op));
    }
  }
  std::string out;
  for (const std::string& token : tokens) out += (out.empty() ? "" : " ") + token;
  return out;
}

std::string Difference::text() const {
  std::string line;
  for (const std::string& scope : path) line += scope + ": ";
  if (what == "missing" || what == "unexpected") return line + what;
  return line + what + ": expected " + expected + ", got " + actual;
}

std::vector<std::string> compareSchemas(const Schema& expected, const Schema& actual,
                                        const CompareOptions& options) {
  std::vector<std::string> lines;
  for (const Difference& difference : schemaDifferences(expected, actual, options))
    lines.push_back(difference.text());
  return lines;
}

std::vector<Difference> schemaDifferences(const Schema& expected, const Schema& actual,
                                          const CompareOptions& options) {
  std::vector<Difference> lines;
  Differences root(lines);
  Differences schema(root, "schema");
  schema.field("name", expected.name, actual.name);
  schema.field("description", show(comment(expected.description)), show(comment(actual.description)));
  PrivilegeRules rules{options.grants || (expected.source_file.empty() && actual.source_file.empty())};
  matchByName(root, "table", expected.tables, actual.tables,
              [&](Differences& scope, const Table& a, const Table& b) { compareTable(scope, a, b, rules); });
  if (!expected.views.empty() && !actual.views.empty())
    matchByName(root, "view", expected.views, actual.views,
                [&](Differences& scope, const View& a, const View& b) { compareView(scope, a, b, rules); });
  // Sequences a column owns without using them (a file never holds one).
  matchByName(root, "sequence", expected.sequences, actual.sequences,
              [&](Differences& scope, const Sequence& a, const Sequence& b) {
                scope.field("owned by", a.owned_by_table + "." + a.owned_by_column,
                            b.owned_by_table + "." + b.owned_by_column);
                auto spelled = [](const Sequence& s) {
                  return s.sql_type + " start " + s.start + " increment " + s.increment + " minvalue " +
                         s.min_value + " maxvalue " + s.max_value + " cache " + s.cache +
                         (s.cycle ? " cycle" : "");
                };
                scope.field("options", spelled(a), spelled(b));
              });
  return lines;
}

}  // namespace felisc::model
