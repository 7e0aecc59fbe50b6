// The Alembic emitter: golden revision files (fixtures/alembic/<case>/revision.py,
// FELISC_UPDATE_GOLDEN=1 rewrites them), Python string escaping, SQLAlchemy
// text() safety, slugs, dates, revision ids, the fallbacks to op.execute(), and
// reading the revision files of a versions directory.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "emitters/alembic/revision.h"
#include "emitters/alembic/versions.h"
#include "emitters/sha256.h"
#include "tests/support/golden.h"
#include "tests/unit/alembic_golden.h"

namespace felisc::testing {
namespace {

class AlembicGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(AlembicGolden, MatchesRevisionFile) {
  DiffCase diff_case = loadDiffCaseAt(alembicFixturesDir() / GetParam());
  ASSERT_TRUE(diff_case.ok) << diff_case.errors;
  alembic::AlembicRevision revision = caseRevision(diff_case);
  const std::filesystem::path golden = alembicFixturesDir() / GetParam() / "revision.py";
  expectGolden(golden, revision.text);
  // Deterministic: the same plan and options, the same bytes.
  EXPECT_EQ(caseRevision(diff_case).text, revision.text);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, AlembicGolden, ::testing::ValuesIn(alembicCases()),
                         [](const ::testing::TestParamInfo<std::string>& case_info) {
                           return case_info.param;
                         });

TEST(AlembicGoldenFixtures, CasesArePresent) { EXPECT_GE(alembicCases().size(), 5u); }

// --- Python text -----------------------------------------------------------

TEST(PythonString, EscapesWhatPythonNeeds) {
  EXPECT_EQ(alembic::pythonString("plain"), "\"plain\"");
  EXPECT_EQ(alembic::pythonString("it's \"quoted\""), "\"it's \\\"quoted\\\"\"");
  EXPECT_EQ(alembic::pythonString("back\\slash"), "\"back\\\\slash\"");
  EXPECT_EQ(alembic::pythonString("a\nb\rc\td"), "\"a\\nb\\rc\\td\"");
  EXPECT_EQ(alembic::pythonString(std::string("nul\0bell\x07 del\x7f", 14)),
            "\"nul\\x00bell\\x07 del\\x7f\"");
}

TEST(PythonString, KeepsVisibleUnicodeAndEscapesInvisible) {
  EXPECT_EQ(alembic::pythonString("d\xc3\xa9j\xc3\xa0 \xe2\x80\x93 \xe2\x88\x82x"),
            "\"d\xc3\xa9j\xc3\xa0 \xe2\x80\x93 \xe2\x88\x82x\"");
  // A right-to-left override would make the line read differently from what it does.
  EXPECT_EQ(alembic::pythonString("a\xe2\x80\xae"
                                  "b"),
            "\"a\\u202eb\"");
  EXPECT_EQ(alembic::pythonString("line\xe2\x80\xa8sep"), "\"line\\u2028sep\"");
  EXPECT_EQ(alembic::pythonString("c1\xc2\x85"), "\"c1\\x85\"");
  EXPECT_EQ(alembic::pythonString("\xef\xbb\xbf"
                                  "bom"),
            "\"\\ufeffbom\"");
  // Bytes that are not UTF-8 become \x escapes, never raw bytes in the source.
  EXPECT_EQ(alembic::pythonString("bad\xff\xc3"), "\"bad\\xff\\xc3\"");
}

TEST(SqlTextSafe, ColonsSqlalchemyTakesForBindParameters) {
  EXPECT_TRUE(alembic::sqlTextSafe("SELECT 1"));
  EXPECT_TRUE(alembic::sqlTextSafe("'x'::character varying"));
  EXPECT_TRUE(alembic::sqlTextSafe("'10:30:00'::time"));
  EXPECT_TRUE(alembic::sqlTextSafe("COMMENT ON TABLE t IS 'see: this'"));
  EXPECT_TRUE(alembic::sqlTextSafe("'http://example.org'"));
  EXPECT_TRUE(alembic::sqlTextSafe("a :: b"));
  EXPECT_FALSE(alembic::sqlTextSafe("ratio <> ':nothing'"));
  EXPECT_FALSE(alembic::sqlTextSafe("x = :value"));
  EXPECT_FALSE(alembic::sqlTextSafe(":start"));
  EXPECT_FALSE(alembic::sqlTextSafe("a :$b"));
  EXPECT_FALSE(alembic::sqlTextSafe("escaped \\: colon"));
  EXPECT_FALSE(alembic::sqlTextSafe("non-ASCII \xe2\x80\x93:x"));
  EXPECT_FALSE(alembic::sqlTextSafe("a :\xc3\xa9"));
}

TEST(AlembicSlug, IsAlembicsRule) {
  EXPECT_EQ(alembic::alembicSlug("cdb_latiss 3.2.0 -> 3.3.0"), "cdb_latiss_3_2_0_3_3_0");
  EXPECT_EQ(alembic::alembicSlug("Add column can_see_sky"), "add_column_can_see_sky");
  // Alembic cuts after 40 characters at a word boundary and appends '_' (ConsDB's
  // 47c0b5ce839e_add_psf_pixelscale_mountjitter_to_.py).
  EXPECT_EQ(alembic::alembicSlug("Add psf, pixelscale, mountjitter to quicklook"),
            "add_psf_pixelscale_mountjitter_to_");
  EXPECT_EQ(alembic::alembicSlug("  --  "), "");
  EXPECT_EQ(alembic::alembicSlug("d\xc3\xa9j\xc3\xa0 vu"), "d_j_vu");
}

TEST(CreateDate, FormatsLikePythonsDatetime) {
  EXPECT_EQ(alembic::formatCreateDate(0), "1970-01-01 00:00:00+00:00");
  EXPECT_EQ(alembic::formatCreateDate(1700000000, 492403), "2023-11-14 22:13:20.492403+00:00");
  EXPECT_EQ(alembic::formatCreateDate(1700000000, 5), "2023-11-14 22:13:20.000005+00:00");
}

TEST(CreateDate, ParsesUtcDatesOnly) {
  EXPECT_EQ(alembic::parseCreateDate("2024-01-01 00:00:00"), "2024-01-01 00:00:00+00:00");
  EXPECT_EQ(alembic::parseCreateDate("2024-02-29T23:59:59Z"), "2024-02-29 23:59:59+00:00");
  EXPECT_EQ(alembic::parseCreateDate("2025-06-09 21:34:43.492403+00:00"), "2025-06-09 21:34:43.492403+00:00");
  EXPECT_EQ(alembic::parseCreateDate("2025-06-09 21:34:43.5"), "2025-06-09 21:34:43.500000+00:00");
  EXPECT_FALSE(alembic::parseCreateDate("2023-02-29 00:00:00"));
  EXPECT_FALSE(alembic::parseCreateDate("2024-13-01 00:00:00"));
  EXPECT_FALSE(alembic::parseCreateDate("2024-01-01 24:00:00"));
  EXPECT_FALSE(alembic::parseCreateDate("2024-01-01 10:00:00+02:00"));
  EXPECT_FALSE(alembic::parseCreateDate("2024-01-01"));
  EXPECT_FALSE(alembic::parseCreateDate("yesterday at noon"));
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(emit::sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(emit::sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(emit::sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(emit::sha256Hex(std::string(1000, 'a')),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

// --- revision ids and the file around the steps -------------------------------

DiffCase columnsCase() {
  DiffCase diff_case = loadDiffCaseAt(alembicFixturesDir() / "columns");
  EXPECT_TRUE(diff_case.ok) << diff_case.errors;
  return diff_case;
}

TEST(AlembicRevision, IdDependsOnContentAndParentOnly) {
  DiffCase diff_case = columnsCase();
  diff::Plan plan = casePlan(diff_case);
  alembic::AlembicOptions options;
  options.create_date = "2024-01-01 00:00:00+00:00";
  options.message = "one message";
  alembic::AlembicRevision first = alembic::alembicRevision(plan, options);
  EXPECT_EQ(first.revision.size(), 12u);
  EXPECT_EQ(first.revision.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(first.file_name, first.revision + "_one_message.py");

  options.message = "another message";
  options.create_date = "2030-05-05 05:05:05+00:00";
  EXPECT_EQ(alembic::alembicRevision(plan, options).revision, first.revision);

  options.down_revision = "0123456789ab";
  alembic::AlembicRevision chained = alembic::alembicRevision(plan, options);
  EXPECT_NE(chained.revision, first.revision);
  EXPECT_NE(chained.text.find("down_revision: Union[str, None] = \"0123456789ab\"\n"), std::string::npos);
  EXPECT_NE(chained.text.find("Revises: 0123456789ab\n"), std::string::npos);

  options.revision_id = "my_rev_1";
  alembic::AlembicRevision forced = alembic::alembicRevision(plan, options);
  EXPECT_EQ(forced.revision, "my_rev_1");
  EXPECT_NE(forced.text.find("revision: str = \"my_rev_1\"\n"), std::string::npos);
}

TEST(AlembicRevision, DocstringSurvivesHostileMessages) {
  diff::Plan plan = casePlan(columnsCase());
  alembic::AlembicOptions options;
  options.message = "say \"\"\"hi\"\"\" \\ twice\nsecond line";
  alembic::AlembicRevision revision = alembic::alembicRevision(plan, options);
  EXPECT_EQ(revision.text.rfind("\"\"\"say \"\\\"\\\"hi\"\\\"\\\" \\\\ twice\nsecond line\n\n", 0), 0u)
      << revision.text.substr(0, 80);
  EXPECT_EQ(revision.file_name, revision.revision + "_say_hi_twice_second_line.py");
}

TEST(AlembicRevision, DefaultMessages) {
  model::Schema old_schema;
  old_schema.name = "cdb_x";
  model::Schema new_schema = old_schema;
  EXPECT_EQ(alembic::defaultRevisionMessage(old_schema, new_schema), "create cdb_x");
  old_schema.tables.emplace_back();
  new_schema.version = model::SchemaVersion{"3.3.0", {}, {}, true};
  EXPECT_EQ(alembic::defaultRevisionMessage(old_schema, new_schema), "update cdb_x");
  old_schema.version = model::SchemaVersion{"3.2.0", {}, {}, true};
  EXPECT_EQ(alembic::defaultRevisionMessage(old_schema, new_schema), "cdb_x 3.2.0 -> 3.3.0");
  EXPECT_EQ(alembic::defaultRevisionMessage(old_schema, new_schema, true), "create cdb_x 3.3.0");
}

TEST(AlembicRevision, EmptyPlanPasses) {
  diff::Plan plan;
  plan.schema = "s";
  std::string text = alembic::alembicRevision(plan, {}).text;
  EXPECT_NE(text.find("def upgrade() -> None:\n    pass\n"), std::string::npos);
  EXPECT_NE(text.find("def downgrade() -> None:\n    pass\n"), std::string::npos);
}

TEST(AlembicRevision, PreambleOpensBothFunctions) {
  diff::Plan plan = casePlan(columnsCase());
  alembic::AlembicOptions options;
  alembic::AlembicRevision without = alembic::alembicRevision(plan, options);
  options.preamble = {"SET LOCAL lock_timeout = '5s'"};
  alembic::AlembicRevision with = alembic::alembicRevision(plan, options);
  EXPECT_NE(
      with.text.find("def upgrade() -> None:\n    op.execute(\"SET LOCAL lock_timeout = '5s'\")\n\n    # "),
      std::string::npos)
      << with.text;
  EXPECT_NE(
      with.text.find("def downgrade() -> None:\n    op.execute(\"SET LOCAL lock_timeout = '5s'\")\n\n    # "),
      std::string::npos);
  EXPECT_NE(with.revision, without.revision);
}

// --- steps: idiomatic calls and the fallbacks ----------------------------------

/// A plan of one change and its inverse, rendered as the planner renders them.
diff::Plan onePlan(const diff::Change& change) {
  diff::Plan plan;
  plan.schema = "s";
  plan.up.push_back(diff::renderStep(change, "s", {}));
  plan.down.push_back(diff::renderStep(diff::inverse(change), "s", {}));
  return plan;
}

std::string upgradeOf(const diff::Plan& plan) {
  std::string text = alembic::alembicRevision(plan, {}).text;
  auto start = text.find("def upgrade() -> None:\n");
  auto stop = text.find("\n\ndef downgrade()");
  return text.substr(start, stop - start);
}

model::Table tableNamed(const std::string& name) {
  model::Table table;
  table.name = name;
  model::Column id;
  id.name = "id";
  id.sql_type = "integer";
  id.nullable = false;
  table.columns.push_back(id);
  return table;
}

TEST(AlembicSteps, IndexMethodAndPredicate) {
  model::Index index;
  index.name = "ix_t_v";
  index.elements = {{"v", false}, {"lower(w)", true}};
  index.method = "hash";
  index.predicate = "(v > 0)";
  std::string up = upgradeOf(onePlan(diff::AddIndex{"t", index, false}));
  EXPECT_NE(up.find("op.create_index("), std::string::npos) << up;
  EXPECT_NE(up.find("        [\"v\", sa.text(\"(lower(w))\")],\n        schema=\"s\",\n"), std::string::npos)
      << up;
  EXPECT_NE(up.find("postgresql_using=\"hash\""), std::string::npos) << up;
  EXPECT_NE(up.find("postgresql_where=sa.text(\"(v > 0)\")"), std::string::npos) << up;
  EXPECT_NE(up.find("# hazard BUILDS_INDEX: builds index ix_t_v"), std::string::npos) << up;
}

TEST(AlembicSteps, ColumnsSqlalchemyCannotWriteFallBackToTheStepsSql) {
  model::Column identity;
  identity.name = "n";
  identity.sql_type = "bigint";
  identity.nullable = false;
  identity.generation = model::Generation::IdentityAlways;
  std::string up = upgradeOf(onePlan(diff::AddColumn{"t", identity, 1}));
  EXPECT_NE(
      up.find("op.execute(\"ALTER TABLE s.t ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY NOT NULL\")"),
      std::string::npos)
      << up;
  EXPECT_EQ(up.find("op.add_column"), std::string::npos) << up;
}

TEST(AlembicSteps, NamesSqlalchemyLeavesUnquotedFallBack) {
  // "collation" is reserved in PostgreSQL, but SQLAlchemy 1.4 would not quote it.
  std::string up = upgradeOf(onePlan(diff::AddTable{tableNamed("collation")}));
  EXPECT_EQ(up.find("op.create_table"), std::string::npos) << up;
  EXPECT_NE(up.find("CREATE TABLE s.\\\"collation\\\""), std::string::npos) << up;
  // "key" and "dec" are fine unquoted as names.
  EXPECT_NE(upgradeOf(onePlan(diff::AddTable{tableNamed("dec")})).find("op.create_table"), std::string::npos);
}

TEST(AlembicSteps, BackslashCommentsAreWrittenAsSql) {
  // SQLAlchemy's offline mode doubles backslashes in comment literals.
  std::string up =
      upgradeOf(onePlan(diff::SetComment{diff::ObjectKind::Table, "t", "", std::nullopt, "a\\b"}));
  EXPECT_NE(up.find("op.execute(\"COMMENT ON TABLE s.t IS 'a\\\\b'\")"), std::string::npos) << up;
  up = upgradeOf(onePlan(diff::SetComment{diff::ObjectKind::Table, "t", "", std::nullopt, "a:b 'c'"}));
  EXPECT_NE(up.find("op.create_table_comment(\"t\", \"a:b 'c'\", existing_comment=None, schema=\"s\")"),
            std::string::npos)
      << up;
}

TEST(AlembicSteps, BindLikeSqlGoesThroughDdl) {
  std::string up =
      upgradeOf(onePlan(diff::SetComment{diff::ObjectKind::Schema, "", "s", std::nullopt, "x :y 5%"}));
  EXPECT_NE(up.find("op.execute(sa.DDL(\"COMMENT ON SCHEMA s IS 'x :y 5%%'\"))"), std::string::npos) << up;
}

TEST(AlembicSteps, UnknownTypesArePgType) {
  model::Column column;
  column.name = "region";
  column.sql_type = "spoly";
  diff::Plan plan = onePlan(diff::AddColumn{"t", column, 1});
  std::string text = alembic::alembicRevision(plan, {}).text;
  EXPECT_NE(text.find("class PgType(sa.types.UserDefinedType):"), std::string::npos);
  EXPECT_NE(text.find("sa.Column(\"region\", PgType(\"spoly\"), nullable=True)"), std::string::npos) << text;
  EXPECT_EQ(text.find("from sqlalchemy.dialects import postgresql"), std::string::npos);
}

// --- reading a versions directory ----------------------------------------------

constexpr const char* kTyped = R"(
"""message

Revision ID: aaa111
Revises:
"""
revision: str = "aaa111"
down_revision: Union[str, None] = None
)";

TEST(AlembicVersionsParse, TypedAndPlainAssignments) {
  model::Diagnostics diagnostics;
  auto typed = alembic::parseAlembicRevisionFile(kTyped, "a.py", diagnostics);
  ASSERT_TRUE(typed) << diagnostics.all().size();
  EXPECT_EQ(typed->revision, "aaa111");
  EXPECT_TRUE(typed->down_revisions.empty());
  EXPECT_EQ(typed->pos.line, 7u);

  auto plain = alembic::parseAlembicRevisionFile("revision = 'bbb'\ndown_revision = 'aaa111'  # parent\n",
                                                 "b.py", diagnostics);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->down_revisions, std::vector<std::string>{"aaa111"});

  auto merge = alembic::parseAlembicRevisionFile(
      "revision = \"m\"\ndown_revision = (\n    \"a\",\n    'b',\n)\n", "m.py", diagnostics);
  ASSERT_TRUE(merge);
  EXPECT_EQ(merge->down_revisions, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(diagnostics.empty());
}

TEST(AlembicVersionsParse, IgnoresDocstringsAndLongerNames) {
  model::Diagnostics diagnostics;
  auto file = alembic::parseAlembicRevisionFile(
      "\"\"\"\nrevision = 'in_docstring'\n\"\"\"\nrevision_note = 'x'\nrevision = 'real'\ndown_revision = "
      "None\n",
      "d.py", diagnostics);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->revision, "real");
}

TEST(AlembicVersionsParse, ReportsWhatItCannotRead) {
  model::Diagnostics diagnostics;
  EXPECT_FALSE(alembic::parseAlembicRevisionFile("x = 1\n", "none.py", diagnostics));
  EXPECT_FALSE(
      alembic::parseAlembicRevisionFile("revision = make_id()\ndown_revision = None\n", "f.py", diagnostics));
  EXPECT_FALSE(
      alembic::parseAlembicRevisionFile("revision = 'a'\ndown_revision = PARENT\n", "g.py", diagnostics));
  EXPECT_FALSE(alembic::parseAlembicRevisionFile("revision = 'a'\n", "h.py", diagnostics));
  ASSERT_EQ(diagnostics.all().size(), 4u);
  EXPECT_EQ(diagnostics.all()[0].code(), "FEL671");
  EXPECT_EQ(diagnostics.all()[1].code(), "FEL672");
  EXPECT_EQ(diagnostics.all()[2].pos.line, 2u);
  EXPECT_EQ(model::renderDiagnostic(diagnostics.all()[2]),
            "g.py:2:1: error: cannot read 'down_revision' without running Python: the value is not None, a "
            "string or a tuple of strings [FEL672]\n");
}

std::vector<alembic::AlembicRevisionFile> chain(
    std::vector<std::pair<std::string, std::vector<std::string>>> links) {
  std::vector<alembic::AlembicRevisionFile> files;
  for (auto& [id, down] : links) files.push_back({id + ".py", id, down, {1, 1}, {}});
  return files;
}

TEST(AlembicHead, OneHeadOrAnError) {
  model::Diagnostics diagnostics;
  EXPECT_EQ(alembic::alembicHead({}, "v", diagnostics), std::nullopt);
  EXPECT_EQ(alembic::alembicHead(chain({{"a", {}}, {"b", {"a"}}, {"c", {"b"}}}), "v", diagnostics), "c");
  EXPECT_EQ(alembic::alembicHead(chain({{"a", {}}, {"b", {"a"}}, {"c", {"a"}}, {"m", {"b", "c"}}}), "v",
                                 diagnostics),
            "m");
  EXPECT_TRUE(diagnostics.empty());

  EXPECT_EQ(alembic::alembicHead(chain({{"a", {}}, {"b", {"a"}}, {"c", {"a"}}}), "v", diagnostics),
            std::nullopt);
  ASSERT_EQ(diagnostics.all().size(), 1u);
  EXPECT_EQ(
      diagnostics.all()[0].message,
      "the versions directory 'v' has 2 heads (b, c); merge them (alembic merge) before adding a revision");

  model::Diagnostics cycle;
  EXPECT_EQ(alembic::alembicHead(chain({{"a", {"c"}}, {"b", {"a"}}, {"c", {"b"}}, {"d", {}}}), "v", cycle),
            std::nullopt);
  ASSERT_EQ(cycle.all().size(), 1u);
  EXPECT_EQ(cycle.all()[0].code(), "FEL676");
  EXPECT_EQ(cycle.all()[0].message, "the revisions of 'v' form a cycle: a -> c -> b -> a");

  model::Diagnostics dangling;
  EXPECT_EQ(alembic::alembicHead(chain({{"a", {"zzz"}}}), "v", dangling), std::nullopt);
  EXPECT_EQ(dangling.all().at(0).code(), "FEL674");

  model::Diagnostics twice;
  EXPECT_EQ(alembic::alembicHead(chain({{"a", {}}, {"a", {}}}), "v", twice), std::nullopt);
  EXPECT_EQ(twice.all().at(0).code(), "FEL673");
}

}  // namespace
}  // namespace felisc::testing
