// Compatibility classes and version bumps (rules in compatibility.h).
#include "diff_engine/compatibility.h"

#include <charconv>

#include "diff_engine/type_change.h"

namespace felisc::diff {

namespace {

using model::Generation;
using Family = SqlTypeInfo::Family;

/// The two answers of compatibility.h, plus whether any code can see the change.
struct Directions {
  bool backward = true;
  bool forward = true;
  bool visible = true;
  std::string reason;

  /// Both questions must hold for both parts.
  void also(const Directions& other) {
    backward = backward && other.backward;
    forward = forward && other.forward;
    visible = visible || other.visible;
    reason += (reason.empty() ? "" : "; ") + other.reason;
  }
};

Directions both(std::string reason) { return {true, true, true, std::move(reason)}; }
Directions backwardOnly(std::string reason) { return {true, false, true, std::move(reason)}; }
Directions forwardOnly(std::string reason) { return {false, true, true, std::move(reason)}; }
Directions neither(std::string reason) { return {false, false, true, std::move(reason)}; }

bool hasDefault(const model::Column& column) {
  return column.generation != Generation::None || column.sql_default.has_value();
}

/// The kinds of types between which readers see the same values (compatibility.h).
int typeKind(const SqlTypeInfo& type) {
  switch (type.family) {
    case Family::Integer:
    case Family::Float:
    case Family::Numeric: return 1;
    case Family::Varchar:
    case Family::Text: return 2;
    case Family::Char: return 3;
    case Family::Timestamp: return 4;
    case Family::TimestampTz: return 5;
    case Family::Date: return 6;
    case Family::Boolean: return 7;
    case Family::Bytea: return 8;
    case Family::Other: return 9;
  }
  return 9;
}

Directions typeChange(const AlterColumn& c) {
  SqlTypeInfo from = parseSqlType(c.from.sql_type);
  SqlTypeInfo to = parseSqlType(c.to.sql_type);
  if (typeKind(from) != typeKind(to) || from.family == Family::Other)
    return neither("type " + c.from.sql_type + " -> " + c.to.sql_type + ": readers get other values");
  const bool widens = !classifyTypeChange(c.from.sql_type, c.to.sql_type, "c").narrows;
  const bool narrows_back = classifyTypeChange(c.to.sql_type, c.from.sql_type, "c").narrows;
  std::string what = "type " + c.from.sql_type + " -> " + c.to.sql_type;
  if (widens && !narrows_back) return both(what + ": the same values fit both");
  if (widens) return backwardOnly(what + " widens: new writers may store values the old type cannot hold");
  if (!narrows_back) return forwardOnly(what + " narrows: old writers may store values that no longer fit");
  return neither(what + ": each type holds values the other cannot");
}

Directions defaultChange(const AlterColumn& c) {
  const bool had = c.from.sql_default.has_value();
  const bool has = c.to.sql_default.has_value();
  if (!had && has) return backwardOnly("default added: new writers may rely on it");
  if (had && !has) return forwardOnly("default dropped: old writers may rely on it");
  return neither("default changed: writers that rely on it get the other value");
}

Directions generationChange(const AlterColumn& c) {
  const Generation from = c.from.generation;
  const Generation to = c.to.generation;
  if (to == Generation::IdentityAlways && from != Generation::IdentityAlways) {
    if (from == Generation::IdentityByDefault)
      return forwardOnly("identity becomes ALWAYS: old writers that give values fail");
    return neither("identity ALWAYS appears: old writers that give values fail, new ones give none");
  }
  if (from == Generation::None) return backwardOnly("generated values appear: new writers may rely on them");
  if (to == Generation::None) return forwardOnly("generated values go: old writers may rely on them");
  return both("generated values stay");  // serial <-> identity BY DEFAULT, identity ALWAYS -> BY DEFAULT
}

Directions alterColumn(const AlterColumn& c) {
  Directions out{true, true, true, {}};
  if ((c.kinds & kColumnType) != 0) out.also(typeChange(c));
  if ((c.kinds & kColumnNullability) != 0)
    out.also(c.to.nullable ? backwardOnly("DROP NOT NULL: new writers may store NULL")
                           : forwardOnly("SET NOT NULL: old writers may store NULL"));
  if ((c.kinds & kColumnDefault) != 0 && c.from.generation == Generation::None &&
      c.to.generation == Generation::None)
    out.also(defaultChange(c));
  if ((c.kinds & kColumnGeneration) != 0) out.also(generationChange(c));
  if (out.reason.empty()) out.reason = "no change code can see";
  return out;
}

Directions addConstraint(bool fresh_table, const std::string& what) {
  if (fresh_table) return backwardOnly(what + " of a new table");
  return forwardOnly(what + ": old writers may store rows it rejects");
}

Directions dropConstraint(bool fresh_table, const std::string& what) {
  if (fresh_table) return forwardOnly(what + " of a dropped table");
  return backwardOnly(what + " goes: new writers may store rows the old schema rejects");
}

/// Each change kind's rule. A change kind added to `Change` without a rule here
/// stops the build at the static_assert.
struct Classifier {
  Directions operator()(const CreateSchema&) const {
    return backwardOnly("new schema: new code needs it, old code does not use it");
  }
  Directions operator()(const DropSchema&) const {
    return forwardOnly("schema dropped: old code may use it, new code does not");
  }
  Directions operator()(const AddTable&) const {
    return backwardOnly("new table: new code needs it, old code does not use it");
  }
  Directions operator()(const DropTable&) const {
    return forwardOnly("table dropped: old code may use it, new code does not");
  }
  Directions operator()(const RenameTable&) const {
    return neither("table renamed: old code names the old name, new code the new one");
  }
  Directions operator()(const AddColumn& c) const {
    if (c.column.nullable || hasDefault(c.column))
      return backwardOnly("new column: old writers leave it out, new code needs it");
    return neither("new NOT NULL column without a default: old INSERTs that leave it out fail");
  }
  Directions operator()(const DropColumn& c) const {
    if (c.column.nullable || hasDefault(c.column))
      return forwardOnly("column dropped: old code may use it, new code leaves it out");
    return neither(
        "NOT NULL column without a default dropped: old code may use it, new INSERTs fail on the "
        "old schema");
  }
  Directions operator()(const AlterColumn& c) const { return alterColumn(c); }
  Directions operator()(const RenameColumn&) const {
    return neither("column renamed: old code names the old name, new code the new one");
  }
  Directions operator()(const SetComment&) const { return {true, true, false, "a comment: no code sees it"}; }
  Directions operator()(const AddConstraint& c) const {
    return addConstraint(c.fresh_table, constraintSummary(c.constraint));
  }
  Directions operator()(const DropConstraint& c) const {
    return dropConstraint(c.fresh_table, constraintSummary(c.constraint));
  }
  Directions operator()(const RenameConstraint&) const {
    return both("constraint renamed: code does not name constraints");
  }
  Directions operator()(const AddPrimaryKey&) const { return addConstraint(false, "primary key"); }
  Directions operator()(const DropPrimaryKey&) const { return dropConstraint(false, "primary key"); }
  Directions operator()(const AddIndex& c) const {
    if (c.index.unique) return addConstraint(c.fresh_table, "UNIQUE index " + c.index.name);
    return both("index: changes speed, not results");
  }
  Directions operator()(const DropIndex& c) const {
    if (c.index.unique) return dropConstraint(c.fresh_table, "UNIQUE index " + c.index.name);
    return both("index: changes speed, not results");
  }
  Directions operator()(const RenameIndex&) const {
    return both("index renamed: code does not name indexes");
  }
  Directions operator()(const RenameSequence&) const {
    return both("sequence renamed: code does not name the sequences of serial columns");
  }
  Directions operator()(const CreateView& c) const {
    if (c.recreated) return both("view recreated around its base tables' changes, which are classified");
    return backwardOnly("new view: new code needs it, old code does not use it");
  }
  Directions operator()(const DropView& c) const {
    if (c.recreated) return both("view dropped only to be recreated");
    return forwardOnly("view dropped: old code may use it, new code does not");
  }
  Directions operator()(const DropSequence&) const {
    return both("sequence no column uses: code does not name the sequences of serial columns");
  }
  Directions operator()(const CreateSequence&) const {
    return both("sequence no column uses: code does not name the sequences of serial columns");
  }
  template <class Other>
  Directions operator()(const Other&) const {
    static_assert(sizeof(Other) == 0, "compatibility.cpp: give this change kind a rule");
    return {};
  }
};

CompatibilityClass classOf(const Directions& d) {
  if (!d.visible) return CompatibilityClass::None;
  if (d.backward && d.forward) return CompatibilityClass::Compatible;
  if (d.backward) return CompatibilityClass::Backward;
  if (d.forward) return CompatibilityClass::Forward;
  return CompatibilityClass::Breaking;
}

VersionBump bumpBetween(const std::vector<long long>& from, const std::vector<long long>& to) {
  if (to[0] != from[0]) return VersionBump::Major;
  if (to[1] != from[1]) return VersionBump::Minor;
  if (to[2] != from[2]) return VersionBump::Patch;
  return VersionBump::None;
}

std::string bumpPhrase(VersionBump bump) {
  return bump == VersionBump::None ? std::string("no bump") : "a " + std::string(bumpName(bump)) + " bump";
}

}  // namespace

std::string_view compatibilityName(CompatibilityClass compatibility) {
  switch (compatibility) {
    case CompatibilityClass::None: return "none";
    case CompatibilityClass::Compatible: return "compatible";
    case CompatibilityClass::Backward: return "backward";
    case CompatibilityClass::Forward: return "forward";
    case CompatibilityClass::Breaking: return "breaking";
  }
  return "breaking";
}

std::string_view compatibilityTitle(CompatibilityClass compatibility) {
  switch (compatibility) {
    case CompatibilityClass::None: return "no code can see it";
    case CompatibilityClass::Compatible: return "compatible both ways";
    case CompatibilityClass::Backward: return "backward compatible (old code works on the new schema)";
    case CompatibilityClass::Forward: return "forward compatible (new code works on the old schema)";
    case CompatibilityClass::Breaking: return "breaking";
  }
  return "breaking";
}

std::string_view bumpName(VersionBump bump) {
  switch (bump) {
    case VersionBump::None: return "none";
    case VersionBump::Patch: return "patch";
    case VersionBump::Minor: return "minor";
    case VersionBump::Major: return "major";
  }
  return "major";
}

VersionBump bumpNeeded(CompatibilityClass compatibility) {
  switch (compatibility) {
    case CompatibilityClass::None: return VersionBump::None;
    case CompatibilityClass::Compatible: return VersionBump::Patch;
    case CompatibilityClass::Backward:
    case CompatibilityClass::Forward: return VersionBump::Minor;
    case CompatibilityClass::Breaking: return VersionBump::Major;
  }
  return VersionBump::Major;
}

ChangeCompatibility classifyChange(const Change& change) {
  Directions directions = std::visit(Classifier{}, change);
  return {classOf(directions), std::move(directions.reason)};
}

MigrationCompatibility classifyMigration(const std::vector<Step>& steps) {
  MigrationCompatibility out;
  Directions all{true, true, false, {}};
  for (std::size_t i = 0; i < steps.size(); ++i) {
    Directions d = std::visit(Classifier{}, steps[i].change);
    if (!d.visible) continue;
    all.visible = true;
    if (!d.backward) out.breaks_old_code.push_back(i);
    if (!d.forward) out.breaks_new_code.push_back(i);
    all.backward = all.backward && d.backward;
    all.forward = all.forward && d.forward;
  }
  out.compatibility = classOf(all);
  out.bump_needed = bumpNeeded(out.compatibility);
  return out;
}

std::optional<std::vector<long long>> parseVersion(std::string_view text) {
  std::vector<long long> parts;
  while (true) {
    auto dot = text.find('.');
    std::string_view part = text.substr(0, dot);
    long long value = 0;
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || error != std::errc{} || end != part.data() + part.size() || value < 0)
      return std::nullopt;
    parts.push_back(value);
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  if (parts.size() > 3) return std::nullopt;
  parts.resize(3, 0);
  return parts;
}

std::string_view verdictName(VersionCheck::Verdict verdict) {
  switch (verdict) {
    case VersionCheck::Verdict::Ok: return "ok";
    case VersionCheck::Verdict::TooSmall: return "too_small";
    case VersionCheck::Verdict::GoesDown: return "goes_down";
    case VersionCheck::Verdict::NotChecked: return "not_checked";
  }
  return "not_checked";
}

VersionCheck checkVersionBump(const Plan& plan) {
  VersionCheck check;
  check.needed = classifyMigration(plan.up).bump_needed;
  if (plan.old_version) check.from = plan.old_version->current;
  if (plan.new_version) check.to = plan.new_version->current;
  auto label = [](const std::string& text, const char* fallback) { return text.empty() ? fallback : text; };
  if (!check.from || !check.to) {
    check.why_not_checked =
        (!check.from ? label(plan.old_label, "the old schema") : label(plan.new_label, "the new schema")) +
        " has no version";
    if (!check.from && !check.to) check.why_not_checked = "neither side has a version";
    return check;
  }
  auto from = parseVersion(*check.from);
  auto to = parseVersion(*check.to);
  if (!from || !to) {
    check.why_not_checked = "'" + (!from ? *check.from : *check.to) + "' is not MAJOR.MINOR.PATCH numbers";
    return check;
  }
  if (*to < *from) {
    check.verdict = VersionCheck::Verdict::GoesDown;
    return check;
  }
  check.made = bumpBetween(*from, *to);
  check.verdict = *check.made >= check.needed ? VersionCheck::Verdict::Ok : VersionCheck::Verdict::TooSmall;
  return check;
}

model::Diagnostics versionDiagnostics(const Plan& plan, const VersionCheck& check, bool strict) {
  model::Diagnostics out;
  if (plan.empty()) return out;
  using model::DiagId;
  const model::Severity severity = strict ? model::Severity::Error : model::Severity::Warning;
  const std::string compatibility(compatibilityTitle(classifyMigration(plan.up).compatibility));
  const std::string needed(bumpName(check.needed));
  switch (check.verdict) {
    case VersionCheck::Verdict::Ok: break;
    case VersionCheck::Verdict::TooSmall:
      out.report(DiagId::warn_version_bump_too_small, severity, plan.new_label, {},
                 {compatibility, needed, *check.from, *check.to, bumpPhrase(*check.made)});
      break;
    case VersionCheck::Verdict::GoesDown:
      out.report(DiagId::warn_version_goes_down, severity, plan.new_label, {},
                 {*check.from, *check.to, compatibility, needed});
      break;
    case VersionCheck::Verdict::NotChecked:
      if (!check.from || !check.to) {
        if (!check.from) out.report(DiagId::note_version_missing, plan.old_label, {}, {plan.old_label});
        if (!check.to) out.report(DiagId::note_version_missing, plan.new_label, {}, {plan.new_label});
        break;
      }
      if (!parseVersion(*check.from))
        out.report(DiagId::warn_version_not_numeric, plan.old_label, {}, {*check.from, plan.old_label});
      if (!parseVersion(*check.to))
        out.report(DiagId::warn_version_not_numeric, plan.new_label, {}, {*check.to, plan.new_label});
      break;
  }
  return out;
}

}  // namespace felisc::diff
