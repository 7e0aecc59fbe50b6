#include "emitters/profile_ddl.h"

#include <string>
#include <string_view>
#include <vector>

#include "diff_engine/view_sql.h"
#include "schema_model/type_mapping.h"

namespace felisc::emit {

namespace {

std::string ident(std::string_view name) { return model::postgresQuoteIdentifier(name); }
std::string literal(std::string_view text) { return model::postgresQuoteLiteral(text); }

std::string joinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += (text.empty() ? "" : "\n") + line;
  return text;
}

/// The statements of view_sql.h, which come without their final ';', one a line.
std::string statementBlock(const std::vector<std::string>& statements) {
  std::string text;
  for (const std::string& statement : statements) text += (text.empty() ? "" : "\n") + statement + ";";
  return text;
}

std::string arrayOfLiterals(const std::vector<model::ProfileRequirement>& items) {
  std::string text;
  for (const model::ProfileRequirement& item : items) text += (text.empty() ? "" : ", ") + literal(item.name);
  return "ARRAY[" + text + "]::text[]";
}

}  // namespace

std::string roleGuardSql(const model::Profile& profile) {
  if (profile.roles.empty()) return "";
  // RAISE ... USING MESSAGE takes the text as is: no '%' placeholders to escape.
  const std::string message = "profile " + profile.name + " needs roles that do not exist: ";
  return "DO $felisc$\n"
         "DECLARE\n"
         "    missing text;\n"
         "BEGIN\n"
         "    SELECT string_agg(quote_ident(r.name), ', ' ORDER BY r.position) INTO missing\n"
         "    FROM unnest(" +
         arrayOfLiterals(profile.roles) +
         ") WITH ORDINALITY AS r(name, position)\n"
         "    WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r.name);\n"
         "    IF missing IS NOT NULL THEN\n"
         "        RAISE EXCEPTION USING MESSAGE = " +
         literal(message) +
         " || missing,\n"
         "            HINT = 'Create them first (CREATE ROLE name NOLOGIN), or ask the database "
         "administrator.';\n"
         "    END IF;\n"
         "END\n"
         "$felisc$;";
}

std::string createProfiledSchemaSql(const model::Schema& realized, const model::Profile& profile,
                                    const CreateOptions& options) {
  const std::string& schema = realized.name;
  std::vector<std::string> blocks;
  if (options.transaction) blocks.emplace_back("BEGIN;");
  std::vector<std::string> extensions;
  for (const model::ProfileRequirement& extension : profile.extensions)
    extensions.push_back("CREATE EXTENSION IF NOT EXISTS " + ident(extension.name) + ";");
  if (!extensions.empty()) blocks.push_back(joinLines(extensions));
  if (std::string guard = roleGuardSql(profile); !guard.empty()) blocks.push_back(std::move(guard));

  CreateOptions body_options = options;
  body_options.transaction = false;
  body_options.schema_name.reset();
  std::string body = createSchemaSql(realized, body_options);
  while (!body.empty() && body.back() == '\n') body.pop_back();
  if (!body.empty()) blocks.push_back(std::move(body));

  std::vector<std::string> grants;
  for (const model::Table& table : realized.tables) {
    for (std::string& grant : diff::grantStatements(ident(schema) + "." + ident(table.name), table.grants))
      grants.push_back(std::move(grant));
  }
  if (!grants.empty()) blocks.push_back(statementBlock(grants));
  for (const model::View& view : realized.views)
    blocks.push_back(statementBlock(diff::createViewStatements(view, schema)));
  if (options.transaction) blocks.emplace_back("COMMIT;");

  std::string script;
  for (const std::string& block : blocks) script += (script.empty() ? "" : "\n\n") + block;
  return script.empty() ? script : script + "\n";
}

}  // namespace felisc::emit
