// The Alembic emitter's quoting, checked by the Python and SQLAlchemy that run
// the revisions (Debian's /usr/bin/python3 with python3-sqlalchemy): a Python
// string literal evaluates to exactly the original text, SQL that sqlTextSafe()
// accepts compiles through text() unchanged, the sa.DDL() form compiles
// unchanged whatever the text, and every golden revision file is valid Python.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "emitters/alembic/revision.h"
#include "tests/support/run_command.h"
#include "tests/unit/alembic_golden.h"

namespace felisc::testing {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

const std::vector<std::string>& hostileTexts() {
  static const std::vector<std::string> texts = {
      "plain",
      "it's a \"test\"",
      "back\\slash and \\\\ double and trailing \\",
      "line\nbreak\r\n\ttab",
      std::string("nul\0and\x01\x1f\x7f", 10),
      "d\xc3\xa9j\xc3\xa0 \xe2\x80\x93 \xe2\x88\x82x \xf0\x9f\x94\xad",
      "bidi \xe2\x80\xae override \xe2\x81\xa6 isolate, zero\xe2\x80\x8bwidth, \xef\xbb\xbf bom, \xc2\x85 "
      "nel",
      "sep\xe2\x80\xa8line\xe2\x80\xa9para",
      "x = :value and :$y and \\:esc and a\\:b",
      "'x'::text, '10:30'::time, a :: b, http://h:80/p",
      "100% %(name)s %s %%",
      "\"\"\" triple ''' quotes \"",
      "colon after non-ASCII \xe2\x80\x93:x and \xc3\xa9:y",
  };
  return texts;
}

std::string hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    auto u = static_cast<unsigned char>(c);
    out += kHex[u >> 4U];
    out += kHex[u & 0xfU];
  }
  return out;
}

std::string percentsDoubled(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '%' ? std::string("%%") : std::string(1, c);
  return out;
}

CommandResult runPython(const std::string& script) {
  TempDir dir;
  const std::string path = dir.path() + "/check.py";
  std::ofstream(path, std::ios::binary) << script;
  return runCommand({kPython, path});
}

TEST(AlembicPython, StringLiteralsEvaluateToTheOriginalText) {
  std::string script = "import sys\ncases = [\n";
  for (const auto& text : hostileTexts()) script += "    " + alembic::pythonString(text) + ",\n";
  script += "]\nfor case in cases:\n    print(case.encode('utf-8').hex())\n";
  CommandResult result = runPython(script);
  ASSERT_EQ(result.exit_code, 0) << result.output << "\n" << script;
  std::string expected;
  for (const auto& text : hostileTexts()) expected += hex(text) + "\n";
  EXPECT_EQ(result.output, expected);
}

TEST(AlembicPython, SqlalchemyReadsSqlBackUnchanged) {
  // With psycopg2's pyformat, a bind parameter would compile to %(name)s and a
  // literal % to %%, which the driver turns back into %.
  std::string script =
      "import sqlalchemy as sa\n"
      "from sqlalchemy.dialects.postgresql import psycopg2\n"
      "dialect = psycopg2.dialect()\n"
      "def back(construct):\n"
      "    return str(construct.compile(dialect=dialect)).replace('%%', '%')\n"
      "cases = [\n";
  std::size_t safe = 0;
  for (const auto& text : hostileTexts()) {
    bool text_safe = alembic::sqlTextSafe(text);
    safe += text_safe ? 1 : 0;
    script += "    (" + alembic::pythonString(text) + ", " + (text_safe ? "True" : "False") + ", " +
              alembic::pythonString(percentsDoubled(text)) + "),\n";
  }
  script +=
      "]\n"
      "for text, text_safe, doubled in cases:\n"
      "    if text_safe and back(sa.text(text)) != text:\n"
      "        print('text() changed', repr(text), repr(back(sa.text(text))))\n"
      "    if back(sa.DDL(doubled)) != text:\n"
      "        print('DDL() changed', repr(text))\n"
      "print('checked', len(cases))\n";
  CommandResult result = runPython(script);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output, "checked " + std::to_string(hostileTexts().size()) + "\n");
  EXPECT_GE(safe, 4u);
  EXPECT_LT(safe, hostileTexts().size()) << "some texts must need the DDL form";
}

TEST(AlembicPython, GoldenRevisionsCompile) {
  std::string script =
      "import sys\n"
      "failed = 0\n"
      "for path in sys.argv[1:]:\n"
      "    try:\n"
      "        compile(open(path, encoding='utf-8').read(), path, 'exec')\n"
      "    except SyntaxError as error:\n"
      "        failed += 1\n"
      "        print(path, error)\n"
      "print('compiled', len(sys.argv) - 1 - failed)\n";
  TempDir dir;
  const std::string path = dir.path() + "/compile.py";
  std::ofstream(path) << script;
  std::vector<std::string> argv = {kPython, path};
  for (const auto& name : alembicCases())
    argv.push_back((alembicFixturesDir() / name / "revision.py").string());
  CommandResult result = runCommand(argv);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output, "compiled " + std::to_string(alembicCases().size()) + "\n");
}

}  // namespace
}  // namespace felisc::testing
