#include "diff_engine/view_sql.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "diff_engine/sql_writer.h"
#include "schema_model/type_mapping.h"

namespace felisc::diff {

namespace {

std::string q(std::string_view name) { return model::postgresQuoteIdentifier(name); }

std::string grantee(const std::string& role) { return role == "PUBLIC" ? role : q(role); }

std::string relationKind(const model::View& view) {
  return view.materialized ? "MATERIALIZED VIEW " : "VIEW ";
}

void comment(std::vector<std::string>& out, const std::string& target,
             const std::optional<std::string>& text) {
  if (text && !text->empty()) out.push_back(SqlWriter::comment(target, text));
}

/// PostgreSQL's own order of privileges in an ACL, so grouped statements read naturally.
int privilegeRank(const std::string& privilege) {
  static const std::vector<std::string> kOrder = {"INSERT",   "SELECT",     "UPDATE",  "DELETE",
                                                  "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN"};
  auto found = std::find(kOrder.begin(), kOrder.end(), privilege);
  return static_cast<int>(found - kOrder.begin());
}

}  // namespace

std::vector<std::string> grantStatements(const std::string& qualified_relation,
                                         const std::vector<model::Grant>& grants) {
  // (column, grantee, grantable) -> privileges; std::map keeps the output deterministic.
  std::map<std::tuple<std::string, std::string, bool>, std::vector<std::string>> groups;
  for (const auto& grant : grants) {
    auto& privileges = groups[{grant.column, grant.grantee, grant.grantable}];
    if (std::find(privileges.begin(), privileges.end(), grant.privilege) == privileges.end())
      privileges.push_back(grant.privilege);
  }
  std::vector<std::string> out;
  for (auto& [key, privileges] : groups) {
    const auto& [column, role, grantable] = key;
    std::sort(privileges.begin(), privileges.end(),
              [](const std::string& a, const std::string& b) { return privilegeRank(a) < privilegeRank(b); });
    std::string list;
    for (const auto& privilege : privileges) {
      if (!list.empty()) list += ", ";
      list += privilege + (column.empty() ? "" : " (" + q(column) + ")");
    }
    out.push_back("GRANT " + list + " ON " + qualified_relation + " TO " + grantee(role) +
                  (grantable ? " WITH GRANT OPTION" : ""));
  }
  return out;
}

std::string viewQuery(const std::string& definition) {
  std::size_t first = definition.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  std::size_t last = definition.find_last_not_of(" \t\r\n;");
  return definition.substr(first, last + 1 - first);
}

std::vector<std::string> createViewStatements(const model::View& view, const std::string& schema) {
  const std::string name = q(schema) + "." + q(view.name);
  std::vector<std::string> out;
  std::string create = "CREATE " + relationKind(view) + name;
  if (!view.options.empty()) {
    std::string options;
    for (const auto& option : view.options) options += (options.empty() ? "" : ", ") + option;
    create += " WITH (" + options + ")";
  }
  create += " AS\n" + viewQuery(view.definition);
  out.push_back(std::move(create));
  for (const auto& index : view.indexes) out.push_back(SqlWriter::createIndex(name, index));
  if (!view.owner.empty()) out.push_back("ALTER " + relationKind(view) + name + " OWNER TO " + q(view.owner));
  comment(out, relationKind(view) + name, view.description);
  for (const auto& column : view.columns)
    comment(out, "COLUMN " + name + "." + q(column.name), column.description);
  for (const auto& index : view.indexes)
    comment(out, "INDEX " + q(schema) + "." + q(index.name), index.description);
  for (auto& grant : grantStatements(name, view.grants)) out.push_back(std::move(grant));
  return out;
}

std::string dropViewStatement(const model::View& view, const std::string& schema) {
  return "DROP " + relationKind(view) + q(schema) + "." + q(view.name);
}

}  // namespace felisc::diff
