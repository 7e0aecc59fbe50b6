#include "schema_model/diagnostic.h"

#include <gtest/gtest.h>

namespace felisc::model {
namespace {

TEST(Diagnostic, RendersClangStyleWithSourceLineAndCaret) {
  Diagnostics diagnostics;
  diagnostics.report(DiagId::err_unknown_key, "s.yaml", SourcePos{2, 3}, {"nulable", "column"});
  ASSERT_EQ(diagnostics.errorCount(), 1u);
  EXPECT_EQ(renderDiagnostic(diagnostics.all()[0], "name: s\n  nulable: false\n"),
            "s.yaml:2:3: error: unknown key 'nulable' in column [FEL101]\n"
            "    nulable: false\n"
            "    ^\n");
}

TEST(Diagnostic, SourcesTravelWithTheDiagnosticsThatPointIntoThem) {
  Diagnostics from_a;
  from_a.addSource("a.yaml", std::string_view("name: a\n  nulable: false\n"));
  from_a.report(DiagId::err_unknown_key, "a.yaml", SourcePos{2, 3}, {"nulable", "column"});
  Diagnostics from_b;
  from_b.addSource("b.yaml", std::string_view("x\n"));
  from_b.report(DiagId::err_io, "c.yaml", SourcePos{1, 1}, {"gone"});
  Diagnostics run;
  run.append(from_a);
  run.append(from_b);
  // One printer: each diagnostic with the line of its own file, none for a file
  // whose text was never registered.
  EXPECT_EQ(renderDiagnostics(run),
            "a.yaml:2:3: error: unknown key 'nulable' in column [FEL101]\n"
            "    nulable: false\n"
            "    ^\n"
            "c.yaml:1:1: error: cannot read file: gone [FEL001]\n");
  EXPECT_EQ(run.sourceOf("b.yaml"), "x\n");
  // The first text registered under a name stays.
  run.addSource("a.yaml", std::string_view("other"));
  EXPECT_EQ(run.sourceOf("a.yaml"), "name: a\n  nulable: false\n");
}

TEST(Diagnostic, WarningsAreCountedApartFromErrors) {
  Diagnostics diagnostics;
  diagnostics.report(DiagId::warn_duplicate_key, "s.yaml", SourcePos{1, 1}, {"name"});
  EXPECT_FALSE(diagnostics.hasErrors());
  EXPECT_EQ(diagnostics.warningCount(), 1u);
  EXPECT_EQ(renderDiagnostic(diagnostics.all()[0]),
            "s.yaml:1:1: warning: duplicate key 'name': the last value wins, as in Felis [FEL007]\n");
}

TEST(Diagnostic, UnknownPositionPrintsFileOnly) {
  Diagnostics diagnostics;
  diagnostics.report(DiagId::err_io, "missing.yaml", SourcePos{}, {"No such file or directory"});
  EXPECT_EQ(renderDiagnostic(diagnostics.all()[0], "ignored"),
            "missing.yaml: error: cannot read file: No such file or directory [FEL001]\n");
}

}  // namespace
}  // namespace felisc::model
