// `felisc create FILE`: a Felis file compiled to PostgreSQL DDL.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "compiler/cli/cli.h"
#include "compiler/cli/commands.h"
#include "compiler/cli/output.h"
#include "compiler/cli/profile.h"
#include "compiler/felis/reader.h"
#include "emitters/postgres_ddl.h"
#include "emitters/profile_ddl.h"

namespace felisc::cli {

namespace {

struct CreateArgs {
  std::string file;
  std::string output;
  std::string schema_name;
  std::string profile;
  bool id_generation = true;
  bool transaction = true;
  bool create_schema = true;
};

int runCreate(const CreateArgs& args, CommandContext& context) {
  felis::ReadOptions read;
  read.id_generation = args.id_generation;
  // Old Felis files (e.g. constraint names reused across tables) were valid in
  // their day: go on with a warning wherever PostgreSQL accepts the DDL.
  read.strict_felis = false;
  felis::ReadResult result = felis::readFelisFile(args.file, read);
  context.err << felis::renderDiagnostics(result);
  if (hasIoError(result.diagnostics)) return kExitUsage;
  if (!result.schema) return kExitUsage;  // invalid input

  emit::CreateOptions options;
  options.transaction = args.transaction;
  options.create_schema = args.create_schema;
  std::string sql;
  if (args.profile.empty()) {
    if (!args.schema_name.empty()) options.schema_name = args.schema_name;
    sql = emit::createSchemaSql(*result.schema, options);
  } else {
    LoadedProfile loaded = loadProfile(args.profile, context.err);
    if (!loaded.profile) return loaded.exit_code;
    // The profile matches the schema name that will be written, so rename first.
    model::Schema felis =
        args.schema_name.empty() ? *result.schema : renamedSchema(*result.schema, args.schema_name);
    model::Diagnostics diagnostics;
    model::Schema realized = model::realize(felis, *loaded.profile, diagnostics);
    context.err << renderWithSources(
        diagnostics, {{felis.source_file, result.source_text}, {args.profile, loaded.source_text}});
    if (diagnostics.hasErrors()) return kExitUsage;
    sql = emit::createProfiledSchemaSql(realized, *loaded.profile, options);
  }
  return writeOutput(args.output, sql, context.out, context.err) ? kExitOk : kExitUsage;
}

}  // namespace

void registerCreate(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<CreateArgs>();
  CLI::App* command = app.add_subcommand(
      "create",
      "Compile a Felis file to PostgreSQL DDL: CREATE SCHEMA, tables, keys, constraints, indexes, foreign "
      "keys "
      "after all tables, and COMMENT ON for every description. Output is byte-identical for the same input. "
      "Where felis misbehaves felisc does the evident right thing (see README, 'Felis quirks felisc fixes'): "
      "postgresql:datatype is read as a PostgreSQL type (TIMESTAMP(6) stays without time zone), index "
      "expressions are SQL expressions, only integer columns become serial, schema and index descriptions "
      "become comments too.");
  command->add_option("file", args->file, "Felis YAML file")->required()->type_name("FILE");
  command->add_option("-o,--output", args->output, "write the DDL to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  command->add_option("--schema", args->schema_name, "schema name to use instead of the file's")
      ->type_name("NAME");
  command
      ->add_option("--profile", args->profile,
                   "deployment profile: realize the schema as the profile says (views over tables, extra "
                   "columns, grants, required roles and extensions); see README, 'Deployment profiles'")
      ->type_name("FILE");
  command->add_flag("!--no-transaction", args->transaction, "do not wrap the script in BEGIN/COMMIT");
  command->add_flag("!--no-create-schema", args->create_schema, "do not emit CREATE SCHEMA");
  command->add_flag("!--no-id-generation", args->id_generation,
                    "do not generate missing @ids (every object then needs one)");
  command->callback([args, &context] { context.exit_code = runCreate(*args, context); });
}

}  // namespace felisc::cli
