// The online rewrite of a plan (online.h): statements that would block writes
// for the length of a scan or an index build, replaced by their online forms.
#include "diff_engine/online.h"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <utility>
#include <variant>

#include "diff_engine/hazards.h"
#include "diff_engine/sql_writer.h"
#include "schema_model/resolve.h"
#include "schema_model/type_mapping.h"

namespace felisc::diff {

namespace {

constexpr std::string_view kCreateIndexNote =
    "outside a transaction block: CREATE INDEX CONCURRENTLY cannot run inside one";
constexpr std::string_view kDropIndexNote =
    "outside a transaction block: DROP INDEX CONCURRENTLY cannot run inside one";

class OnlineRewriter {
 public:
  explicit OnlineRewriter(const std::string& schema) : pg_(model::postgresDialect()), sql_(schema) {}

  std::vector<Step> rewrite(const std::vector<Step>& steps) const {
    std::vector<Step> out;
    out.reserve(steps.size());
    for (const Step& step : steps) rewriteStep(step, out);
    return out;
  }

 private:
  void rewriteStep(const Step& step, std::vector<Step>& out) const {
    if (const auto* add = std::get_if<AddIndex>(&step.change); add && !add->fresh_table)
      return addIndex(step, *add, out);
    if (const auto* drop = std::get_if<DropIndex>(&step.change); drop && !drop->fresh_table)
      return dropIndex(step, *drop, out);
    if (const auto* add = std::get_if<AddConstraint>(&step.change); add && !add->fresh_table)
      return addConstraint(step, *add, out);
    if (const auto* add = std::get_if<AddPrimaryKey>(&step.change)) return addPrimaryKey(step, *add, out);
    if (const auto* add = std::get_if<AddColumn>(&step.change))
      return setNotNull(step, add->table, add->column.name, out);
    if (const auto* alter = std::get_if<AlterColumn>(&step.change))
      return setNotNull(step, alter->table, alter->to.name, out);
    out.push_back(step);
  }

  [[nodiscard]] std::string q(std::string_view name) const { return pg_.quoteIdentifier(name); }
  [[nodiscard]] std::string qualified(std::string_view name) const { return sql_.qualified(name); }
  [[nodiscard]] std::string alterTable(std::string_view table) const { return sql_.alterTable(table); }

  /// Stops the script when `index` exists but is INVALID: a concurrent build
  /// that failed leaves one behind, and IF NOT EXISTS would skip over it.
  [[nodiscard]] std::string invalidIndexGuard(const std::string& index) const {
    std::string name = qualified(index);
    std::string message = "felisc: index " + name +
                          " is INVALID (a CREATE INDEX CONCURRENTLY failed): run DROP INDEX CONCURRENTLY " +
                          name + "; then this script again";
    std::string escaped;
    for (char c : message) escaped += c == '%' ? std::string("%%") : std::string(1, c);
    return "DO $felisc$ BEGIN IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass(" +
           pg_.quoteLiteral(name) + ") AND NOT indisvalid) THEN RAISE EXCEPTION " +
           pg_.quoteLiteral(escaped) + "; END IF; END $felisc$";
  }

  /// A step of `original`'s change with the given statements and no hazard yet.
  static Step part(const Step& original, std::vector<std::string> sql, std::string note) {
    Step step;
    step.change = original.change;
    step.sql = std::move(sql);
    step.data_loss = original.data_loss;
    step.note = std::move(note);
    return step;
  }

  /// The hazards of `step` without those of `kind`.
  static std::vector<Hazard> hazardsWithout(const Step& step, HazardKind kind) {
    std::vector<Hazard> out;
    std::copy_if(step.hazards.begin(), step.hazards.end(), std::back_inserter(out),
                 [&](const Hazard& hazard) { return hazard.kind != kind; });
    return out;
  }

  /// The unique index of a constraint, built without blocking writes.
  Step concurrentUniqueIndex(const Step& original, const std::string& table, const std::string& name,
                             const std::vector<std::string>& columns) const {
    model::Index index;
    index.name = name;
    index.unique = true;
    for (const auto& column : columns) index.elements.push_back({column, false});
    Step build = part(original,
                      {sql_.createIndexOn(table, index, {.concurrently = true, .if_not_exists = true}),
                       invalidIndexGuard(name)},
                      std::string(kCreateIndexNote));
    build.transactional = false;
    build.hazards.push_back(
        {HazardKind::BuildsIndex, "builds the unique index " + name +
                                      " concurrently: writes go on; it waits for "
                                      "older transactions, and a duplicate makes it fail"});
    return build;
  }

  /// The index's comment, as statements.cpp writes it after CREATE INDEX.
  [[nodiscard]] std::string indexComment(const model::Index& index) const {
    return SqlWriter::comment(sql_.indexTarget(index.name), normalizedDescription(index.description));
  }

  void addIndex(const Step& step, const AddIndex& add, std::vector<Step>& out) const {
    // The same index, written CONCURRENTLY by the one SQL writer (not a rewrite
    // of the blocking statement's text).
    std::string concurrent =
        sql_.createIndexOn(add.table, add.index, {.concurrently = true, .if_not_exists = true});
    Step build = part(step, {concurrent, invalidIndexGuard(add.index.name)}, std::string(kCreateIndexNote));
    build.transactional = false;
    build.hazards = hazardsWithout(step, HazardKind::BuildsIndex);
    build.hazards.push_back({HazardKind::BuildsIndex, "builds index " + add.index.name +
                                                          " concurrently: writes go on; it waits for older "
                                                          "transactions and scans the table twice"});
    out.push_back(std::move(build));
    // Its comment is an ordinary statement, in a transaction of its own kind.
    if (add.index.description) {
      Step comment;
      comment.change =
          SetComment{ObjectKind::Index, add.table, add.index.name, std::nullopt, add.index.description};
      comment.sql.push_back(indexComment(add.index));
      out.push_back(std::move(comment));
    }
  }

  void dropIndex(const Step& step, const DropIndex& drop, std::vector<Step>& out) const {
    Step concurrent = part(step, {sql_.dropIndex(drop.index.name, true)}, std::string(kDropIndexNote));
    concurrent.hazards = step.hazards;
    concurrent.transactional = false;
    out.push_back(std::move(concurrent));
  }

  void addConstraint(const Step& step, const AddConstraint& add, std::vector<Step>& out) const {
    const model::Constraint& constraint = add.constraint;
    const std::string prefix = alterTable(add.table) + "ADD CONSTRAINT " + q(constraint.name) + " ";
    std::vector<std::string> rest;  // its comment, as statements.cpp writes it
    if (normalizedDescription(constraint.description))
      rest.push_back(SqlWriter::comment(sql_.constraintTarget(add.table, constraint.name),
                                        normalizedDescription(constraint.description)));
    if (constraint.kind == model::ConstraintKind::Unique) {
      out.push_back(concurrentUniqueIndex(step, add.table, constraint.name, constraint.columns));
      std::vector<std::string> attach{prefix + "UNIQUE USING INDEX " + q(constraint.name) +
                                      SqlWriter::deferrability(constraint)};
      attach.insert(attach.end(), rest.begin(), rest.end());
      out.push_back(
          part(step, std::move(attach),
               "the index built above becomes the constraint: no scan, a brief ACCESS EXCLUSIVE lock"));
      return;
    }
    // Foreign key or check: checked for new rows at once, existing rows later.
    std::vector<std::string> add_sql{
        sql_.addToTable(add.table, SqlWriter::constraintDefinition(
                                       constraint, sql_.referencedSchema(constraint, sql_.schema()))) +
        " NOT VALID"};
    add_sql.insert(add_sql.end(), rest.begin(), rest.end());
    Step added =
        part(step, std::move(add_sql),
             "added NOT VALID: checks new rows only, without a scan; VALIDATE follows in a new transaction");
    added.hazards = hazardsWithout(step, HazardKind::ValidatesRows);
    out.push_back(std::move(added));
    out.push_back(validate(step, add.table, constraint.name,
                           "checks every existing row of " + add.table + " against " + constraint.name));
  }

  /// VALIDATE CONSTRAINT in a transaction of its own.
  Step validate(const Step& original, const std::string& table, const std::string& name,
                const std::string& what) const {
    Step step = part(original, {alterTable(table) + "VALIDATE CONSTRAINT " + q(name)},
                     "a new transaction: the scan takes SHARE UPDATE EXCLUSIVE, which does not block writes, "
                     "once the NOT VALID constraint has committed");
    step.new_transaction = true;
    step.hazards.push_back(
        {HazardKind::ValidatesRows, what + " without blocking writes (VALIDATE CONSTRAINT)"});
    return step;
  }

  void addPrimaryKey(const Step& step, const AddPrimaryKey& add, std::vector<Step>& out) const {
    const std::string prefix = alterTable(add.table) + "ADD CONSTRAINT " + q(add.key.name) + " ";
    if (add.key.name.empty()) {  // PostgreSQL names it: nothing to build under that name first
      out.push_back(step);
      return;
    }
    out.push_back(concurrentUniqueIndex(step, add.table, add.key.name, add.key.columns));
    std::vector<std::string> attach{prefix + "PRIMARY KEY USING INDEX " + q(add.key.name)};
    if (normalizedDescription(add.key.description))  // its comment, as statements.cpp writes it
      attach.push_back(SqlWriter::comment(sql_.constraintTarget(add.table, add.key.name),
                                          normalizedDescription(add.key.description)));
    out.push_back(
        part(step, std::move(attach),
             "the index built above becomes the primary key: no build; a brief ACCESS EXCLUSIVE lock "
             "(and a scan if a key column is still nullable)"));
  }

  /// SET NOT NULL through a validated check: the scan happens in VALIDATE,
  /// which does not block writes, and SET NOT NULL then needs none.
  void setNotNull(const Step& step, const std::string& table, const std::string& column,
                  std::vector<Step>& out) const {
    const std::string set = alterTable(table) + "ALTER COLUMN " + q(column) + " SET NOT NULL";
    auto at = std::find(step.sql.begin(), step.sql.end(), set);
    if (at == step.sql.end()) {
      out.push_back(step);
      return;
    }
    const std::string check = model::makeObjectName(table, column, "felisc_nn");
    std::vector<std::string> first(step.sql.begin(), at);
    first.push_back(alterTable(table) + "ADD CONSTRAINT " + q(check) + " CHECK (" + q(column) +
                    " IS NOT NULL) NOT VALID");
    Step before = part(step, std::move(first),
                       "SET NOT NULL online: a NOT VALID check first, which checks new rows without a scan");
    before.hazards = hazardsWithout(step, HazardKind::ValidatesRows);
    before.backfill = step.backfill;  // its statement precedes SET NOT NULL: same index
    out.push_back(std::move(before));
    out.push_back(validate(step, table, check, "checks every row of " + table + " for a NULL in " + column));
    std::vector<std::string> last{set, alterTable(table) + "DROP CONSTRAINT " + q(check)};
    last.insert(last.end(), at + 1, step.sql.end());
    Step after =
        part(step, std::move(last),
             "a new transaction: SET NOT NULL proves itself from the validated check (PostgreSQL 12+) "
             "instead of scanning; the check then goes");
    after.new_transaction = true;
    out.push_back(std::move(after));
  }

  const model::Dialect& pg_;
  SqlWriter sql_;
};

}  // namespace

Plan makeOnline(Plan plan) {
  if (plan.online) return plan;  // its statements are online already
  OnlineRewriter rewriter(plan.schema);
  plan.up = rewriter.rewrite(plan.up);
  plan.down = rewriter.rewrite(plan.down);
  refreshOnlineLockHazards(plan.up);
  refreshOnlineLockHazards(plan.down);
  plan.online = true;
  return plan;
}

}  // namespace felisc::diff
