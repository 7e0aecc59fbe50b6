#include "compiler/cli/deployment.h"

#include <memory>

#include "compiler/catalog/roles.h"
#include "compiler/cli/cli.h"
#include "compiler/cli/output.h"
#include "compiler/cli/profile.h"
#include "schema_model/profile.h"

namespace felisc::cli {

namespace {

/// A Felis side becomes the model of the database the profile deploys it to.
int realizeFileSide(const model::Profile& profile, const LoadedProfile& loaded, DiffSide side,
                    const std::string& profile_path, std::ostream& err) {
  model::Diagnostics diagnostics;
  model::Schema realized = model::realize(*side.loaded.schema, profile, diagnostics);
  err << renderWithSources(diagnostics, {{profile_path, loaded.source_text}});
  if (diagnostics.hasErrors()) return kExitUsage;
  side.loaded.schema = std::make_shared<const model::Schema>(std::move(realized));
  return kExitOk;
}

/// A database side is checked: the Felis model it holds, realized again with the
/// profile, must be what the catalog holds.
int checkDatabaseSide(const model::Profile& profile, const LoadedProfile& loaded, DiffSide side,
                      const std::string& profile_path, std::ostream& err) {
  const model::Schema& catalog = *side.loaded.schema;
  catalog::ServerObjectsResult server =
      catalog::readServerObjects(side.conninfo, catalog::requiredRoles(profile));
  printDiagnostics(server.diagnostics, "", err);
  if (server.diagnostics.hasErrors()) return kExitUsage;
  model::Diagnostics diagnostics;
  model::Schema expected = model::realize(model::unrealize(catalog, profile), profile, diagnostics);
  if (!diagnostics.hasErrors())
    diagnostics.append(model::checkDeployment(catalog, expected, profile, server.objects));
  err << renderWithSources(diagnostics, {{profile_path, loaded.source_text}});
  return kExitOk;  // a mismatch is a warning: the plan is still what the file asks for
}

int deploySide(const model::Profile& profile, const LoadedProfile& loaded, DiffSide side,
               const std::string& profile_path, std::ostream& err) {
  if (side.conninfo.empty()) return realizeFileSide(profile, loaded, side, profile_path, err);
  return checkDatabaseSide(profile, loaded, side, profile_path, err);
}

}  // namespace

int deployDiffSides(const std::string& profile_path, DiffSide old_side, DiffSide new_side,
                    std::ostream& err) {
  LoadedProfile loaded = loadProfile(profile_path, err);
  if (!loaded.profile) return loaded.exit_code;
  if (int code = deploySide(*loaded.profile, loaded, old_side, profile_path, err); code != kExitOk)
    return code;
  return deploySide(*loaded.profile, loaded, new_side, profile_path, err);
}

}  // namespace felisc::cli
