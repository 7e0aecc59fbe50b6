// libFuzzer target: bytes -> two Felis documents (split at a line "---8<---",
// else at the middle) -> diff, plan and every plan emitter, both directions.
// Invariants: a model does not differ from itself; diffing and planning are
// deterministic (byte-identical output twice); the downgrade has as many steps
// as the upgrade. The online form of the plan (--online) is deterministic too,
// and its scripts never put CONCURRENTLY inside BEGIN/COMMIT.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "compiler/felis/reader.h"
#include "diff_engine/change.h"
#include "diff_engine/differ.h"
#include "diff_engine/online.h"
#include "diff_engine/planner.h"
#include "emitters/plan_json.h"
#include "emitters/plan_sql.h"
#include "emitters/plan_text.h"
#include "tests/fuzz/fuzz_check.h"

namespace felisc::fuzz {
namespace {

constexpr std::string_view kSeparator = "\n---8<---\n";

/// The two documents of an input.
std::pair<std::string_view, std::string_view> splitInput(std::string_view text) {
  std::size_t at = text.find(kSeparator);
  if (at != std::string_view::npos) return {text.substr(0, at + 1), text.substr(at + kSeparator.size())};
  return {text.substr(0, text.size() / 2), text.substr(text.size() / 2)};
}

std::string describeAll(const diff::ChangeSet& changes) {
  std::string out;
  for (const diff::Change& change : changes.changes) out += diff::describe(change) + '\n';
  return out;
}

/// Every output of a plan, concatenated: what determinism is checked on.
std::string renderAll(const diff::Plan& plan) {
  std::string out;
  for (diff::Direction direction : {diff::Direction::Up, diff::Direction::Down}) {
    out += emit::planSql(plan, direction);
    emit::SqlOptions bare;
    bare.transaction = false;
    bare.step_comments = false;
    bare.statement_timeout = "1min";
    out += emit::planSql(plan, direction, bare);
    out += emit::planText(plan, direction);
    std::string json = emit::planJson(plan, direction);
    check(nlohmann::json::accept(json), "planJson is not valid JSON", json);
    out += json;
  }
  return out;
}

/// A statement PostgreSQL refuses inside a transaction block. By its start: the
/// word may appear anywhere in a comment's text.
bool isConcurrent(const std::string& sql) {
  return sql.starts_with("CREATE INDEX CONCURRENTLY ") ||
         sql.starts_with("CREATE UNIQUE INDEX CONCURRENTLY ") || sql.starts_with("DROP INDEX CONCURRENTLY ");
}

/// The online script's transaction blocks: paired, and CONCURRENTLY only outside them.
void checkOnlineScript(const diff::Plan& online) {
  for (diff::Direction direction : {diff::Direction::Up, diff::Direction::Down}) {
    bool in_block = false;
    for (const std::string& sql : emit::planStatements(online, direction)) {
      if (sql == "BEGIN") {
        check(!in_block, "BEGIN inside a transaction block", emit::planSql(online, direction));
        in_block = true;
      } else if (sql == "COMMIT") {
        check(in_block, "COMMIT outside a transaction block", emit::planSql(online, direction));
        in_block = false;
      } else if (isConcurrent(sql)) {
        check(!in_block, "CONCURRENTLY inside a transaction block", emit::planSql(online, direction));
      }
    }
    check(!in_block, "a transaction block is left open", emit::planSql(online, direction));
  }
}

void checkSelfDiffEmpty(const model::Schema& schema) {
  diff::ChangeSet changes = diff::diffSchemas(schema, schema);
  check(changes.empty(), "diff(A, A) is not empty", describeAll(changes));
}

void checkPair(const model::Schema& old_schema, const model::Schema& new_schema) {
  diff::ChangeSet changes = diff::diffSchemas(old_schema, new_schema);
  diff::ChangeSet changes_again = diff::diffSchemas(old_schema, new_schema);
  check(describeAll(changes) == describeAll(changes_again), "diffSchemas is not deterministic");
  if (changes.diagnostics.hasErrors()) return;  // the CLI stops here too
  diff::Plan plan = diff::plan(changes);
  check(plan.up.size() == plan.down.size(), "the downgrade has another number of steps than the upgrade",
        std::to_string(plan.up.size()) + " up, " + std::to_string(plan.down.size()) + " down");
  check(plan.empty() == changes.empty(), "an empty plan for a non-empty change set", describeAll(changes));
  std::string first = renderAll(plan);
  std::string second = renderAll(diff::plan(changes_again));
  check(first == second, "planning twice gives different output", first + "\n---\n" + second);
  diff::Plan online = diff::makeOnline(plan);
  checkOnlineScript(online);
  check(renderAll(online) == renderAll(diff::makeOnline(diff::plan(changes_again))),
        "online planning twice gives different output");
}

}  // namespace
}  // namespace felisc::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace felisc;
  auto [old_text, new_text] = fuzz::splitInput(std::string_view(reinterpret_cast<const char*>(data), size));
  // As `felisc diff` reads: rules only today's felis enforces are warnings.
  felis::ReadOptions options = fuzz::fuzzReadOptions(/*strict_felis=*/false, /*all_checks=*/false);
  felis::ReadResult old_side = felis::readFelisText(old_text, "old.yaml", options);
  felis::ReadResult new_side = felis::readFelisText(new_text, "new.yaml", options);
  if (old_side.schema) fuzz::checkSelfDiffEmpty(*old_side.schema);
  if (new_side.schema) fuzz::checkSelfDiffEmpty(*new_side.schema);
  if (!old_side.schema || !new_side.schema) return 0;
  fuzz::checkPair(*old_side.schema, *new_side.schema);
  fuzz::checkPair(*new_side.schema, *old_side.schema);
  return 0;
}
