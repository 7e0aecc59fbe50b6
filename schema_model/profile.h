/// \file
/// Deployment profiles: how a Felis schema is realized in a database.
///
/// A Felis file says what a schema holds; a deployment may hold it differently.
/// ConsDB, for one, creates the Felis tables `visit1` and `ccdvisit1` as views over
/// `exposure` and `ccdexposure` (every base column, `exposure_id` renamed
/// `visit_id`), grants SELECT on them to its reader roles, and adds a pgsphere
/// `pgs_region spoly` column beside every `s_region`. A profile (read by
/// compiler/felis/profile_reader.h) says all that once, for every schema whose name
/// matches its patterns.
///
/// The functions here are pure: realize() turns a Felis model into the model of the
/// database it deploys to, unrealize() turns a catalog model back into the Felis
/// model, checkViewTables() checks a Felis file against the profile's views, and
/// checkDeployment() checks a live catalog against the realized model.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema_model/diagnostic.h"
#include "schema_model/model.h"

namespace felisc::model {

/// A role or extension the profile requires, with where the profile names it.
struct ProfileRequirement {
  std::string name;
  SourcePos pos;
};

/// Privileges given to roles: `{privileges: [SELECT], to: [usdf, oods]}`.
struct ProfileGrant {
  std::vector<std::string> privileges;  ///< upper case: SELECT, INSERT, ...
  std::vector<std::string> grantees;    ///< role names, or PUBLIC
  SourcePos pos;
};

/// One `base_column: view_column` entry of a view's `rename`.
struct ColumnRename {
  std::string from;  ///< the base table's column
  std::string to;    ///< the view's column
  SourcePos pos;
};

/// A Felis table realized as a view over another table: every base column, in the
/// base's order, some of them renamed.
struct ViewRule {
  std::string name;  ///< the Felis table, and the view
  std::string base;  ///< the table (or another profile view) it selects from
  std::vector<ColumnRename> renames;
  std::vector<ProfileGrant> grants;
  /// Every schema of the profile must have the table. When false, a schema without
  /// it (an older version, another instrument) simply has no such view.
  bool required = false;
  SourcePos pos;
};

/// Where an extra column goes in its table.
enum class ExtraColumnPosition : std::uint8_t {
  AfterTrigger,  ///< right after the column that triggers the rule (and earlier extras there)
  End,           ///< after the table's last column
};

/// A column added to every table that has `when_column`.
struct ExtraColumnRule {
  std::string when_column;
  ExtraColumnPosition position = ExtraColumnPosition::AfterTrigger;
  Column column;  ///< Felis facts only (name, datatype, overrides, nullable, description)
  SourcePos pos;
};

/// Grants on tables: on all of them, or on the listed ones.
struct TableGrantRule {
  bool all_tables = false;
  std::vector<std::string> tables;
  ProfileGrant grant;
  SourcePos pos;
};

struct Profile {
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> schemas;       ///< names or glob patterns (`*`, `?`, `[...]`)
  std::vector<ProfileRequirement> roles;  ///< roles that must exist
  std::vector<ProfileRequirement> extensions;
  std::vector<ViewRule> views;
  std::vector<ExtraColumnRule> extra_columns;
  std::vector<TableGrantRule> table_grants;
  std::string source_file;  ///< the profile file, for diagnostics
  SourcePos pos;
};

/// What a database has besides its schemas: roles and installed extensions.
struct ServerObjects {
  std::vector<std::string> roles;
  std::vector<std::string> extensions;
};

/// Shell-style matching of a whole name: `*` any run, `?` one byte, `[abc]`,
/// `[a-z]` and `[!a]` one byte of a set. Case-sensitive, as PostgreSQL names are.
bool globMatch(std::string_view pattern, std::string_view name);
/// Whether `pattern` is well formed (non-empty, every `[` closed).
bool validGlob(std::string_view pattern);

/// Whether the profile applies to schema `schema_name` (one of its patterns matches).
bool appliesTo(const Profile& profile, std::string_view schema_name);

/// The realized model of a resolved Felis model (schema name final): extra columns
/// added (resolved), table grants, and each view-realized Felis table replaced by a
/// generated model::View (columns and types from the base, descriptions from the
/// Felis table, grants, one dependency per base column, and the SELECT felisc
/// writes). Foreign keys that reference a view-realized table are left out with a
/// warning. Problems are reported into `diagnostics`: errors mean the model is not
/// usable. A schema the profile does not apply to comes back unchanged, with a
/// warning. Deterministic.
Schema realize(const Schema& felis, const Profile& profile, Diagnostics& diagnostics);

/// The Felis model of a deployed (catalog) model: each profile view found in the
/// catalog becomes a Felis table again (the base table's columns with the renames,
/// comments from the view), extra columns and the grants the profile explains are
/// removed. What the profile does not explain is kept.
Schema unrealize(const Schema& deployed, const Profile& profile);

/// `validate --profile`: each Felis table realized as a view must list exactly the
/// columns its base table gives it (after renames), with the same types. Also
/// reports a missing base table, a missing required view table and a rename of a
/// column the base does not have. Diagnostics point into the Felis file (`felis`'s
/// source_file) and, in notes, into the profile.
Diagnostics checkViewTables(const Schema& felis, const Profile& profile);

/// A live catalog (`catalog`, as the catalog reader gives it) against the realized
/// model of the same schema: every profile view present as a view with the
/// realized columns, dependencies and grants, every extra column present with its
/// type, every profile table grant given, every role and extension there. Each
/// mismatch is a warning; diagnostics point at the profile's rule.
Diagnostics checkDeployment(const Schema& catalog, const Schema& realized, const Profile& profile,
                            const ServerObjects& server);

/// The SELECT felisc writes for a view over `base_relation` in `schema_name`:
/// `SELECT base.a, base.b AS c FROM schema.base`, `columns` being (base column,
/// view column) pairs; identifiers quoted as PostgreSQL's quote_ident() does.
std::string viewSelectSql(const std::string& schema_name, const std::string& base_relation,
                          const std::vector<std::pair<std::string, std::string>>& columns);

}  // namespace felisc::model
