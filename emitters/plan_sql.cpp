#include "emitters/plan_sql.h"

#include <functional>

#include "schema_model/type_mapping.h"

namespace felisc::emit {

namespace {

std::string directionName(diff::Direction direction) {
  return direction == diff::Direction::Up ? "upgrade" : "downgrade";
}

std::string counted(std::size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

/// Whether the steps run as one transaction (else: blocks and lone statements).
bool singleTransaction(const std::vector<diff::Step>& steps) {
  for (const auto& step : steps)
    if (!step.transactional || step.new_transaction) return false;
  return true;
}

void header(const diff::Plan& plan, diff::Direction direction, std::string& out) {
  bool up = direction == diff::Direction::Up;
  const std::string& from = up ? plan.old_label : plan.new_label;
  const std::string& to = up ? plan.new_label : plan.old_label;
  out += "-- felisc diff: " + directionName(direction) + " of schema " + plan.schema +
         (plan.online ? " (online)" : "") + "\n";
  if (!from.empty()) out += "-- from: " + from + "\n";
  if (!to.empty()) out += "-- to:   " + to + "\n";
  auto loss = plan.dataLossSteps(direction);
  auto missing = plan.missingBackfills(direction);
  out += "-- " + counted(plan.steps(direction).size(), "step") +
         "; data loss: " + (loss.empty() ? "none" : counted(loss.size(), "step")) +
         "; missing backfills: " + (missing.empty() ? "none" : std::to_string(missing.size())) + "\n";
}

/// The header lines of a script that is not one transaction.
void notAtomic(const std::vector<diff::Step>& steps, std::string& out) {
  std::size_t blocks = 0;
  std::size_t alone = 0;
  bool in_block = false;
  for (const auto& step : steps) {
    if (!step.transactional) {
      alone += step.sql.size();
      in_block = false;
    } else if (!in_block || step.new_transaction) {
      ++blocks;
      in_block = true;
    }
  }
  out += "-- NOT ATOMIC: " + counted(blocks, "transaction block") + " and " + counted(alone, "statement") +
         " outside any transaction block. Run it with\n" +
         "-- psql -v ON_ERROR_STOP=1 -f, never with --single-transaction. When it stops, fix the\n" +
         "-- cause and run it again from the block or statement that failed (what ran before it\n" +
         "-- is committed): CREATE/DROP INDEX CONCURRENTLY use IF [NOT] EXISTS; a failed CREATE\n" +
         "-- INDEX CONCURRENTLY leaves an INVALID index, which the check after it reports: DROP\n" +
         "-- INDEX CONCURRENTLY that index first.\n";
}

void backfillMarker(const diff::BackfillSlot& slot, bool open, std::string& out) {
  std::string target = slot.table + "." + slot.column;
  if (!open) {
    out += "-- <<< end of backfill " + target + "\n";
    return;
  }
  switch (slot.source) {
    case diff::BackfillSlot::Source::Provided: out += "-- >>> backfill " + target + ": provided SQL\n"; break;
    case diff::BackfillSlot::Source::Default:
      out += "-- >>> backfill " + target + ": from its default " + slot.sql + "\n";
      break;
    case diff::BackfillSlot::Source::Missing:
      out += "-- >>> BACKFILL MISSING for " + target + ": give its SQL with --backfill (" + target +
             "); until then this guard stops the script if a row holds NULL\n";
      break;
  }
}

/// The timeout settings: SET LOCAL inside the one transaction, else SET (RESET
/// at the end) so that they hold across COMMITs and outside transaction blocks.
std::vector<std::string> settings(const SqlOptions& options, bool local) {
  std::vector<std::string> out;
  const std::string set = local ? "SET LOCAL " : "SET ";
  if (!options.lock_timeout.empty())
    out.push_back(set + "lock_timeout = " + model::postgresQuoteLiteral(options.lock_timeout));
  if (!options.statement_timeout.empty())
    out.push_back(set + "statement_timeout = " + model::postgresQuoteLiteral(options.statement_timeout));
  return out;
}

std::vector<std::string> resets(const SqlOptions& options) {
  std::vector<std::string> out;
  if (!options.lock_timeout.empty()) out.emplace_back("RESET lock_timeout");
  if (!options.statement_timeout.empty()) out.emplace_back("RESET statement_timeout");
  return out;
}

/// Receives the script in order: comment lines (each ending in '\n', or a lone
/// "\n" for a blank line) and statements (without ';').
struct ScriptSink {
  std::function<void(const std::string&)> comment;
  std::function<void(const std::string&)> statement;
};

void stepComments(const diff::Step& step, const SqlOptions& options, const ScriptSink& sink) {
  if (!options.step_comments) return;
  sink.comment("-- " + diff::describe(step.change) + "\n");
  if (!step.note.empty()) sink.comment("-- " + step.note + "\n");
  for (const auto& hazard : step.hazards)
    sink.comment("-- hazard " + std::string(diff::hazardName(hazard.kind)) + ": " + hazard.message + "\n");
}

void stepStatements(const diff::Step& step, const ScriptSink& sink) {
  for (std::size_t i = 0; i < step.sql.size(); ++i) {
    bool slot = step.backfill && step.backfill->statement == i;
    std::string marker;
    if (slot) backfillMarker(*step.backfill, true, marker);
    if (slot) sink.comment(marker);
    sink.statement(step.sql[i]);
    marker.clear();
    if (slot) backfillMarker(*step.backfill, false, marker);
    if (slot) sink.comment(marker);
  }
}

void script(const diff::Plan& plan, diff::Direction direction, const SqlOptions& options,
            const ScriptSink& sink) {
  const auto& steps = plan.steps(direction);
  if (steps.empty()) {
    sink.comment("-- felisc diff: no change to schema " + plan.schema + "\n");
    return;
  }
  std::string head;
  header(plan, direction, head);
  const bool single = options.transaction && singleTransaction(steps);
  if (!single && options.transaction) notAtomic(steps, head);
  sink.comment(head);
  if (single) {
    sink.statement("BEGIN");
    for (const auto& setting : settings(options, true)) sink.statement(setting);
    for (const auto& step : steps) {
      sink.comment("\n");
      stepComments(step, options, sink);
      stepStatements(step, sink);
    }
    sink.comment("\n");
    sink.statement("COMMIT");
    return;
  }
  for (const auto& setting : settings(options, false)) sink.statement(setting);
  bool in_block = false;
  for (const auto& step : steps) {
    bool block = options.transaction && step.transactional;
    if (in_block && (!block || step.new_transaction)) {
      sink.comment("\n");
      sink.statement("COMMIT");
      in_block = false;
    }
    sink.comment("\n");
    if (block && !in_block) {
      sink.statement("BEGIN");
      sink.comment("\n");
      in_block = true;
    }
    stepComments(step, options, sink);
    stepStatements(step, sink);
  }
  if (in_block) {
    sink.comment("\n");
    sink.statement("COMMIT");
  }
  std::vector<std::string> after = resets(options);
  if (!after.empty()) sink.comment("\n");
  for (const auto& reset : after) sink.statement(reset);
}

}  // namespace

std::string planSql(const diff::Plan& plan, diff::Direction direction, const SqlOptions& options) {
  std::string out;
  script(plan, direction, options,
         ScriptSink{[&](const std::string& text) { out += text; },
                    [&](const std::string& sql) { out += sql + ";\n"; }});
  return out;
}

std::vector<std::string> planStatements(const diff::Plan& plan, diff::Direction direction,
                                        const SqlOptions& options) {
  std::vector<std::string> out;
  script(plan, direction, options,
         ScriptSink{[](const std::string&) {}, [&](const std::string& sql) { out.push_back(sql); }});
  return out;
}

}  // namespace felisc::emit
