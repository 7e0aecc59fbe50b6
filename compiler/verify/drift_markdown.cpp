#include "compiler/verify/drift_markdown.h"

#include "emitters/plan_markdown.h"

namespace felisc::verify {

namespace {

std::string joinedPath(const model::Difference& difference) {
  std::string out;
  for (const auto& part : difference.path) out += (out.empty() ? "" : ", ") + part;
  return out.empty() ? std::string("schema") : out;
}

}  // namespace

std::string driftMarkdown(const DriftReport& report) {
  using emit::markdownEscape;
  const std::size_t count = report.differences.size();
  std::string out = "### felisc drift: schema `" + markdownEscape(report.schema) + "` ";
  out += count == 0 ? "matches " : "has drifted from ";
  out += markdownEscape(report.file.empty() ? std::string("its file") : report.file);
  if (count != 0) out += ": " + std::to_string(count) + (count == 1 ? " difference" : " differences");
  out += "\n";
  if (count != 0) {
    out += "\n| Object | Property | File | Database |\n|---|---|---|---|\n";
    for (const auto& difference : report.differences)
      out += "| " + markdownEscape(joinedPath(difference)) + " | " + markdownEscape(difference.what) + " | " +
             markdownEscape(difference.expected) + " | " + markdownEscape(difference.actual) + " |\n";
  }
  if (!report.notes.empty()) {
    out += "\nNot drift (PostgreSQL appends added columns):\n\n";
    for (const auto& note : report.notes) out += "- " + markdownEscape(note.text()) + "\n";
  }
  return out;
}

}  // namespace felisc::verify
