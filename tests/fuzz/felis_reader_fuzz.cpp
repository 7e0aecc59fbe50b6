// libFuzzer target: bytes -> Felis reader (all optional checks on); when the
// bytes read without errors, every consumer of the model must run and agree:
// resolution is idempotent, CREATE SQL and model JSON are deterministic, and the
// Felis YAML written for the model reads back to the model it promises
// (felisProjection) and writes the same text again.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/felis/reader.h"
#include "emitters/felis_yaml.h"
#include "emitters/model_json.h"
#include "emitters/postgres_ddl.h"
#include "schema_model/compare.h"
#include "schema_model/resolve.h"
#include "schema_model/type_mapping.h"
#include "tests/fuzz/fuzz_check.h"

namespace felisc::fuzz {
namespace {

std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + '\n';
  return out;
}

/// Resolving an already resolved model changes nothing.
void checkResolveIdempotent(const model::Schema& schema) {
  model::Schema again = schema;
  model::resolveSchema(again, model::postgresDialect());
  std::vector<std::string> differences = model::compareSchemas(schema, again);
  check(differences.empty(), "resolveSchema is not idempotent", joinLines(differences));
}

void checkEmitters(const model::Schema& schema) {
  std::string sql = emit::createSchemaSql(schema);
  check(!sql.empty(), "createSchemaSql gave no text");
  check(sql == emit::createSchemaSql(schema), "createSchemaSql is not deterministic");
  std::string json = emit::modelToJson(schema);
  check(nlohmann::json::accept(json), "modelToJson is not valid JSON", json);
}

/// The Felis YAML of `schema` reads back (same options) to felisProjection(schema),
/// and writing the re-read model gives the same text.
void checkYamlRoundTrip(const model::Schema& schema, const felis::ReadOptions& options) {
  model::Diagnostics warnings;
  std::string yaml = emit::felisYaml(schema, warnings);
  felis::ReadResult again = felis::readFelisText(yaml, "roundtrip.yaml", options);
  if (!again.schema) fail("the emitted Felis YAML does not read", renderDiagnostics(again) + "---\n" + yaml);
  std::vector<std::string> differences = model::compareSchemas(emit::felisProjection(schema), *again.schema);
  check(differences.empty(), "the emitted Felis YAML reads to another model than felisProjection",
        joinLines(differences) + "---\n" + yaml);
  model::Diagnostics warnings_again;
  std::string yaml_again = emit::felisYaml(*again.schema, warnings_again);
  check(yaml == yaml_again, "Felis YAML is not a fixpoint", yaml + "---\n" + yaml_again);
}

}  // namespace
}  // namespace felisc::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace felisc;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool strict : {true, false}) {
    felis::ReadOptions options = fuzz::fuzzReadOptions(strict, /*all_checks=*/strict);
    felis::ReadResult result = felis::readFelisText(text, "fuzz.yaml", options);
    // Rendering diagnostics is part of reading: it must not crash on any position.
    (void)felis::renderDiagnostics(result);
    fuzz::check(static_cast<bool>(result.schema) != result.diagnostics.hasErrors(),
                "a schema is returned exactly when there are no errors", felis::renderDiagnostics(result));
    if (!result.schema) continue;
    fuzz::checkResolveIdempotent(*result.schema);
    fuzz::checkEmitters(*result.schema);
    fuzz::checkYamlRoundTrip(*result.schema, fuzz::fuzzReadOptions(false, false));
  }
  return 0;
}
