#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/felis/yaml_tree.h"
#include "tests/support/test_paths.h"

namespace felisc::felis {
namespace {

using model::DiagId;
using model::SourcePos;

constexpr const char* kFile = "t.yaml";

struct Parsed {
  std::optional<YamlDocument> document;
  model::Diagnostics diagnostics;
};

Parsed parse(std::string_view text, const YamlLimits& limits = {}) {
  Parsed parsed;
  parsed.document = parseYaml(text, kFile, parsed.diagnostics, limits);
  return parsed;
}

/// Parses `text` expecting success without any diagnostic.
YamlDocument parseClean(std::string_view text) {
  Parsed parsed = parse(text);
  for (const auto& diagnostic : parsed.diagnostics.all())
    ADD_FAILURE() << model::renderDiagnostic(diagnostic);
  EXPECT_TRUE(parsed.document.has_value());
  return parsed.document ? std::move(*parsed.document) : YamlDocument{};
}

/// The input is refused with exactly one error `id`, which names the file and
/// (when `pos` is known) the position.
void expectRefused(std::string_view text, DiagId id, SourcePos pos, std::string_view message_part = {},
                   const YamlLimits& limits = {}) {
  Parsed parsed = parse(text, limits);
  EXPECT_FALSE(parsed.document.has_value());
  ASSERT_EQ(parsed.diagnostics.all().size(), 1u);
  const model::Diagnostic& diagnostic = parsed.diagnostics.all()[0];
  EXPECT_EQ(diagnostic.id, id) << diagnostic.message;
  EXPECT_EQ(diagnostic.severity, model::Severity::Error);
  EXPECT_EQ(diagnostic.file, kFile);
  EXPECT_EQ(diagnostic.pos.line, pos.line) << diagnostic.message;
  EXPECT_EQ(diagnostic.pos.column, pos.column) << diagnostic.message;
  if (!message_part.empty()) {
    EXPECT_NE(diagnostic.message.find(message_part), std::string::npos) << diagnostic.message;
  }
  std::string prefix = pos.known() ? std::string(kFile) + ":" + std::to_string(pos.line) + ":" +
                                         std::to_string(pos.column) + ": error: "
                                   : std::string(kFile) + ": error: ";
  EXPECT_EQ(model::renderDiagnostic(diagnostic).rfind(prefix, 0), 0u) << model::renderDiagnostic(diagnostic);
}

const YamlNode& child(const YamlDocument& document, const YamlNode& node, std::size_t index) {
  if (index >= node.children.size()) {
    ADD_FAILURE() << "no child " << index << " of " << node.children.size();
    return node;
  }
  return document.node(node.children[index]);
}

const YamlNode& at(const YamlDocument& document, const YamlNode& mapping, std::string_view key) {
  const YamlNode* value = document.get(mapping, key);
  EXPECT_NE(value, nullptr) << "no key " << key;
  static const YamlNode kMissing;
  return value != nullptr ? *value : kMissing;
}

// --- Structure and positions -----------------------------------------------------

TEST(YamlTree, BlockMappingKeepsOrderValuesAndPositions) {
  YamlDocument document = parseClean(
      "name: sdm\n"
      "tables:\n"
      "  - name: t\n"
      "    columns:\n"
      "      - nullable: false\n");
  const YamlNode& root = document.root();
  ASSERT_EQ(root.kind, YamlNode::Kind::Mapping);
  ASSERT_EQ(root.children.size(), 4u);
  EXPECT_EQ(child(document, root, 0).value, "name");
  EXPECT_EQ(child(document, root, 0).pos, (SourcePos{1, 1}));
  EXPECT_EQ(child(document, root, 1).value, "sdm");
  EXPECT_EQ(child(document, root, 1).pos, (SourcePos{1, 7}));
  EXPECT_EQ(child(document, root, 2).pos, (SourcePos{2, 1}));

  const YamlNode& tables = at(document, root, "tables");
  ASSERT_EQ(tables.kind, YamlNode::Kind::Sequence);
  EXPECT_EQ(tables.pos, (SourcePos{3, 3}));  // a block sequence starts at its first '-'
  ASSERT_EQ(tables.children.size(), 1u);
  const YamlNode& table = child(document, tables, 0);
  EXPECT_EQ(table.kind, YamlNode::Kind::Mapping);
  EXPECT_EQ(table.pos, (SourcePos{3, 5}));  // a block mapping starts at its first key
  EXPECT_EQ(at(document, table, "name").pos, (SourcePos{3, 11}));
  const YamlNode& column = child(document, at(document, table, "columns"), 0);
  const YamlNode& nullable = at(document, column, "nullable");
  EXPECT_EQ(nullable.value, "false");
  EXPECT_EQ(nullable.pos, (SourcePos{5, 19}));
  EXPECT_EQ(child(document, column, 0).pos, (SourcePos{5, 9}));
}

TEST(YamlTree, FlowCollectionsKeepPositions) {
  YamlDocument document = parseClean("t: {name: a, keys: [x, 'y', \"z\"]}\n");
  const YamlNode& flow = at(document, document.root(), "t");
  ASSERT_EQ(flow.kind, YamlNode::Kind::Mapping);
  EXPECT_EQ(flow.pos, (SourcePos{1, 4}));
  EXPECT_EQ(child(document, flow, 0).pos, (SourcePos{1, 5}));   // name
  EXPECT_EQ(child(document, flow, 1).pos, (SourcePos{1, 11}));  // a
  const YamlNode& keys = at(document, flow, "keys");
  EXPECT_EQ(keys.pos, (SourcePos{1, 20}));
  ASSERT_EQ(keys.children.size(), 3u);
  EXPECT_EQ(child(document, keys, 0).pos, (SourcePos{1, 21}));
  EXPECT_EQ(child(document, keys, 1).pos, (SourcePos{1, 24}));
  EXPECT_EQ(child(document, keys, 1).style, YamlNode::Style::SingleQuoted);
  EXPECT_EQ(child(document, keys, 2).pos, (SourcePos{1, 29}));
  EXPECT_EQ(child(document, keys, 2).style, YamlNode::Style::DoubleQuoted);
}

TEST(YamlTree, ScalarStylesTextAndTags) {
  YamlDocument document = parseClean(
      "plain: a b\n"
      "single: 'it''s'\n"
      "double: \"tab\\tend\"\n"
      "literal: |\n"
      "  line one\n"
      "  line two\n"
      "folded: >\n"
      "  line one\n"
      "  line two\n"
      "tagged: !!str 12\n"
      "empty:\n");
  const YamlNode& root = document.root();
  EXPECT_EQ(at(document, root, "plain").style, YamlNode::Style::Plain);
  EXPECT_EQ(at(document, root, "single").value, "it's");
  EXPECT_EQ(at(document, root, "double").value, "tab\tend");
  EXPECT_EQ(at(document, root, "literal").style, YamlNode::Style::Literal);
  EXPECT_EQ(at(document, root, "literal").value, "line one\nline two\n");
  EXPECT_EQ(at(document, root, "folded").style, YamlNode::Style::Folded);
  EXPECT_EQ(at(document, root, "folded").value, "line one line two\n");
  EXPECT_EQ(at(document, root, "tagged").tag, "tag:yaml.org,2002:str");
  EXPECT_EQ(at(document, root, "tagged").value, "12");
  EXPECT_EQ(at(document, root, "empty").value, "");
  EXPECT_EQ(resolveScalar(at(document, root, "empty")).kind, ResolvedScalar::Kind::Null);
}

TEST(YamlTree, ColumnsCountBytesAfterMultibyteCharacters) {
  // libyaml counts characters; felisc reports byte columns, as the caret renderer expects.
  YamlDocument document = parseClean("é: ü\nb: [x, \"ä\", y]\n");
  const YamlNode& root = document.root();
  EXPECT_EQ(child(document, root, 1).pos, (SourcePos{1, 5}));
  const YamlNode& list = at(document, root, "b");
  EXPECT_EQ(child(document, list, 1).pos, (SourcePos{2, 8}));
  EXPECT_EQ(child(document, list, 2).pos, (SourcePos{2, 14}));
}

TEST(YamlTree, Utf8ByteOrderMarkIsAccepted) {
  YamlDocument document = parseClean(
      "\xEF\xBB\xBF"
      "a: 1\nb: é\nc: 2\n");
  EXPECT_EQ(child(document, document.root(), 0).pos, (SourcePos{1, 1}));
  EXPECT_EQ(at(document, document.root(), "c").pos, (SourcePos{3, 4}));
}

TEST(YamlTree, CarriageReturnLineBreaks) {
  YamlDocument document = parseClean("a:\r\n  b: 1\r\n");
  EXPECT_EQ(at(document, at(document, document.root(), "a"), "b").pos, (SourcePos{2, 6}));
}

TEST(YamlTree, DocumentEndMarkerIsOneDocument) {
  YamlDocument document = parseClean("--- \na: 1\n...\n");
  EXPECT_EQ(at(document, document.root(), "a").value, "1");
}

TEST(YamlTree, ScalarRootIsAccepted) {
  YamlDocument document = parseClean("just text\n");
  EXPECT_EQ(document.root().kind, YamlNode::Kind::Scalar);
  EXPECT_EQ(document.root().value, "just text");
  EXPECT_EQ(document.get(document.root(), "just text"), nullptr);
}

// --- Keys and lookups ----------------------------------------------------------------

TEST(YamlTree, DuplicateKeyWarnsAtTheLaterKeyAndTheLastValueWins) {
  Parsed parsed = parse("a: 1\nb: 2\na: 3\n");
  ASSERT_TRUE(parsed.document);
  const YamlDocument& document = *parsed.document;
  EXPECT_EQ(document.root().children.size(), 6u);  // every pair is kept
  EXPECT_EQ(at(document, document.root(), "a").value, "3");
  ASSERT_EQ(parsed.diagnostics.all().size(), 1u);
  const model::Diagnostic& warning = parsed.diagnostics.all()[0];
  EXPECT_EQ(warning.id, DiagId::warn_duplicate_key);
  EXPECT_EQ(warning.pos, (SourcePos{3, 1}));
  EXPECT_EQ(model::renderDiagnostic(warning),
            "t.yaml:3:1: warning: duplicate key 'a': the last value wins, as in Felis [FEL007]\n");
  EXPECT_FALSE(parsed.diagnostics.hasErrors());
}

TEST(YamlTree, DuplicateKeysInLargeMappingsAreFoundInFileOrder) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "k" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  text += "k7: late\nk3: late\nk7: later\n";  // lines 41-43
  Parsed parsed = parse(text);
  ASSERT_TRUE(parsed.document);
  const auto& diagnostics = parsed.diagnostics.all();
  ASSERT_EQ(diagnostics.size(), 3u);
  EXPECT_EQ(diagnostics[0].pos.line, 41u);
  EXPECT_EQ(diagnostics[1].pos.line, 42u);
  EXPECT_EQ(diagnostics[2].pos.line, 43u);
  EXPECT_EQ(at(*parsed.document, parsed.document->root(), "k7").value, "later");
  EXPECT_EQ(at(*parsed.document, parsed.document->root(), "k3").value, "late");
}

TEST(YamlTree, DuplicateKeysCompareAsPythonValues) {
  // PyYAML builds a dict: 1 == 0x1 == 1.0 == True, None == ~, but '1' != 1.
  for (const char* text : {"1: a\n0x1: b\n", "true: a\n1: b\n", "1.0: a\n1: b\n", "null: a\n~: b\n",
                           ".nan: a\n.NaN: b\n", "yes: a\nOn: b\n"}) {
    Parsed parsed = parse(text);
    ASSERT_TRUE(parsed.document) << text;
    ASSERT_EQ(parsed.diagnostics.all().size(), 1u) << text;
    EXPECT_EQ(parsed.diagnostics.all()[0].pos, (SourcePos{2, 1})) << text;
  }
  for (const char* text : {"'1': a\n1: b\n", "1: a\n1.5: b\n", "yes: a\n'yes': b\n", "0: a\nfalse_: b\n"}) {
    Parsed parsed = parse(text);
    ASSERT_TRUE(parsed.document) << text;
    EXPECT_TRUE(parsed.diagnostics.empty()) << text;
  }
}

TEST(YamlTree, GetMatchesOnlyStringKeys) {
  YamlDocument document = parseClean("yes: 1\n'no': 2\n3: 4\nname: n\n");
  const YamlNode& root = document.root();
  EXPECT_EQ(document.get(root, "yes"), nullptr);  // the key is the boolean True
  EXPECT_EQ(at(document, root, "no").value, "2");
  EXPECT_EQ(document.get(root, "3"), nullptr);
  EXPECT_EQ(at(document, root, "name").value, "n");
  EXPECT_EQ(document.get(root, "missing"), nullptr);
  EXPECT_EQ(document.get(at(document, root, "name"), "x"), nullptr);  // not a mapping
}

TEST(YamlTree, NonScalarKeyIsRefusedAsFelisDoes) {
  expectRefused("[1]: 2\n", DiagId::err_non_scalar_key, {1, 1}, "sequence");
  expectRefused("? {a: 1}\n: 2\n", DiagId::err_non_scalar_key, {1, 3}, "mapping");
}

TEST(YamlTree, MergeKeysStayOrdinaryKeys) {
  YamlDocument document = parseClean("base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n");
  const YamlNode& derived = at(document, document.root(), "derived");
  EXPECT_EQ(derived.children.size(), 4u);
  EXPECT_EQ(document.get(derived, "x"), nullptr);  // not merged
  EXPECT_EQ(&at(document, derived, "<<"), &at(document, document.root(), "base"));
}

// --- Anchors and aliases ---------------------------------------------------------------

TEST(YamlTree, AliasesReferToTheAnchoredNode) {
  YamlDocument document = parseClean("base: &b {x: 1}\nuse: *b\nlist: [*b, *b]\n");
  const YamlNode& root = document.root();
  const YamlNode& base = at(document, root, "base");
  EXPECT_EQ(&at(document, root, "use"), &base);
  const YamlNode& list = at(document, root, "list");
  EXPECT_EQ(list.children[0], root.children[1]);
  EXPECT_EQ(list.children[1], root.children[1]);
  // root, 3 keys, base mapping, x, 1, list: aliases add no node.
  EXPECT_EQ(document.nodeCount(), 8u);
}

TEST(YamlTree, UndefinedAliasIsAnError) {
  expectRefused("a: 1\nb: *nope\n", DiagId::err_yaml_syntax, {2, 4}, "found undefined alias 'nope'");
}

TEST(YamlTree, DuplicateAnchorIsAnErrorAsInPyYaml) {
  expectRefused("a: &x 1\nb: &x 2\n", DiagId::err_yaml_syntax, {2, 4},
                "duplicate anchor 'x'; first occurrence at 1:4");
}

TEST(YamlTree, RecursiveAliasIsRefused) {
  expectRefused("a: &r [1, *r]\n", DiagId::err_recursive_alias, {1, 11}, "'*r'");
  expectRefused("&m {k: *m}\n", DiagId::err_recursive_alias, {1, 8});
}

TEST(YamlTree, BillionLaughsIsRefusedQuickly) {
  std::string text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level <= 9; ++level) {
    std::string previous = "*l" + std::to_string(level - 1);
    text += "l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ", " : "") + previous;
    text += "]\n";
  }
  // Level k expands to about 1.1 * 10^(k+1) nodes: level 6 is the first past 10^7.
  // An anchored node starts at its anchor.
  expectRefused(text, DiagId::err_alias_expansion, {7, 5}, "10000000");
}

TEST(YamlTree, AliasExpansionLimitCountsSharedSubtrees) {
  // root + key a + [1, 2, 3, 4] (5) + key b + [*a, *a, *a] (1 + 3 * 5) = 24 nodes expanded, 9 stored.
  std::string text = "a: &a [1, 2, 3, 4]\nb: [*a, *a, *a]\n";
  YamlLimits limits;
  limits.max_expanded_nodes = 24;
  Parsed accepted = parse(text, limits);
  EXPECT_TRUE(accepted.document);
  EXPECT_EQ(accepted.document->nodeCount(), 9u);
  limits.max_expanded_nodes = 23;
  expectRefused(text, DiagId::err_alias_expansion, {1, 1}, "23", limits);
}

// --- Hostile and malformed input ------------------------------------------------------------

TEST(YamlTree, MalformedYamlNamesLibyamlsProblem) {
  expectRefused("a: b: c\n", DiagId::err_yaml_syntax, {1, 5},
                "mapping values are not allowed in this context");
}

TEST(YamlTree, WrongIndentation) {
  expectRefused("a:\n  b: 1\n c: 2\n", DiagId::err_yaml_syntax, {3, 2},
                "did not find expected key (while parsing a block mapping that starts at 1:1)");
  expectRefused("- a\nb: 1\n", DiagId::err_yaml_syntax, {2, 1}, "did not find expected '-' indicator");
  expectRefused("a:\n\t- b\n", DiagId::err_yaml_syntax, {2, 1},
                "found character that cannot start any token");
}

TEST(YamlTree, UnclosedQuotesAndBrackets) {
  expectRefused("a: \"abc\n", DiagId::err_yaml_syntax, {2, 1},
                "found unexpected end of stream (while scanning a quoted scalar that starts at 1:4)");
  expectRefused("a: 'abc\n", DiagId::err_yaml_syntax, {2, 1}, "found unexpected end of stream");
  expectRefused("a: [b, c\n", DiagId::err_yaml_syntax, {2, 1}, "did not find expected ',' or ']'");
  expectRefused("a: {b: 1\n", DiagId::err_yaml_syntax, {2, 1}, "did not find expected ',' or '}'");
  expectRefused("key: [a, b]]\n", DiagId::err_yaml_syntax, {1, 12}, "did not find expected key");
}

TEST(YamlTree, EmptyInputsHoldNoDocument) {
  expectRefused("", DiagId::err_empty_document, {});
  expectRefused(std::string_view{}, DiagId::err_empty_document, {});  // no data pointer at all
  expectRefused("\n  \n\n", DiagId::err_empty_document, {});
  expectRefused("# only a comment\n# and another\n", DiagId::err_empty_document, {});
  // PyYAML loads `---` alone as None, which felis cannot use: an error here.
  expectRefused("---\n", DiagId::err_empty_document, {1, 1});
  expectRefused("# c\n--- # c\n...\n", DiagId::err_empty_document, {2, 1});
}

TEST(YamlTree, MultipleDocumentsAreRefusedAsByPyYamlSafeLoad) {
  expectRefused("a: 1\n---\nb: 2\n", DiagId::err_multiple_documents, {2, 1});
  expectRefused("a: 1\n---\n", DiagId::err_multiple_documents, {2, 1});
  expectRefused("--- a\n--- b\n", DiagId::err_multiple_documents, {2, 1});
}

TEST(YamlTree, InvalidUtf8IsRefusedAtItsPosition) {
  expectRefused("a: 1\nb: \xFF\n", DiagId::err_yaml_syntax, {2, 4}, "invalid leading UTF-8 octet #xFF");
  expectRefused("a: \xC3", DiagId::err_yaml_syntax, {1, 4}, "incomplete UTF-8 octet sequence");
  expectRefused("a: \xE2\x82\n", DiagId::err_yaml_syntax, {1, 6}, "invalid trailing UTF-8 octet");
}

TEST(YamlTree, NulAndControlCharactersAreRefusedAtTheirPosition) {
  expectRefused(std::string("a: 1\0b\n", 7), DiagId::err_yaml_syntax, {1, 5},
                "control characters are not allowed #x00");
  expectRefused("a: x\x01y\n", DiagId::err_yaml_syntax, {1, 5}, "#x01");
  expectRefused("a:\n  b: \x1b[0m\n", DiagId::err_yaml_syntax, {2, 6}, "#x1B");
}

TEST(YamlTree, RandomBinaryGarbageIsRefusedWithAPosition) {
  std::mt19937 random(20240814);
  for (int round = 0; round < 50; ++round) {
    std::string garbage(1 + random() % 4096, '\0');
    for (char& c : garbage) c = static_cast<char>(random() & 0xFF);
    Parsed parsed = parse(garbage);
    EXPECT_FALSE(parsed.document) << "round " << round;
    ASSERT_EQ(parsed.diagnostics.errorCount(), 1u) << "round " << round;
    const model::Diagnostic& error = parsed.diagnostics.all().back();
    EXPECT_EQ(error.file, kFile);
    EXPECT_TRUE(error.pos.known()) << error.message;
  }
}

TEST(YamlTree, PrintableGarbageNeverCrashes) {
  // Random YAML punctuation: mostly refused, sometimes a document; never a crash.
  static constexpr std::string_view kAlphabet = "[]{}:,-?&*!|>'\"#%@` \n\tab1.";
  std::mt19937 random(7);
  for (int round = 0; round < 500; ++round) {
    std::string text(random() % 200, ' ');
    for (char& c : text) c = kAlphabet[random() % kAlphabet.size()];
    Parsed parsed = parse(text);
    EXPECT_EQ(parsed.document.has_value(), !parsed.diagnostics.hasErrors()) << text;
    for (const auto& diagnostic : parsed.diagnostics.all()) EXPECT_EQ(diagnostic.file, kFile);
  }
}

TEST(YamlTree, DeepFlowNestingStopsAtTheLimitWithoutRecursion) {
  std::string text = std::string(100'000, '[') + std::string(100'000, ']');
  expectRefused(text, DiagId::err_too_deep, {1, 1001}, "nesting deeper than 1000 levels");
}

TEST(YamlTree, DeepBlockNestingStopsAtTheLimitWithoutRecursion) {
  std::string text;
  for (int i = 0; i < 100'000; ++i) text += "- ";
  text += "x\n";
  expectRefused(text, DiagId::err_too_deep, {1, 2001});
}

TEST(YamlTree, NestingUpToTheLimitIsAccepted) {
  YamlLimits limits;
  limits.max_depth = 50;
  std::string text = std::string(50, '[') + std::string(50, ']');
  Parsed parsed = parse(text, limits);
  EXPECT_TRUE(parsed.document);
  EXPECT_TRUE(parsed.diagnostics.empty());
  // The root mapping is level 1, so the 50th '[' (column 4 + 49) is level 51.
  expectRefused("a: " + std::string(50, '[') + std::string(50, ']'), DiagId::err_too_deep, {1, 53}, "50",
                limits);
}

TEST(YamlTree, MillionKeyFlatMappingIsAccepted) {
  std::string text;
  text.reserve(20'000'000);
  char line[32];
  for (int i = 0; i < 1'000'000; ++i) {
    int length = std::snprintf(line, sizeof line, "key%d: %d\n", i, i);
    text.append(line, static_cast<std::size_t>(length));
  }
  text += "key123: again\n";
  Parsed parsed = parse(text);
  ASSERT_TRUE(parsed.document);
  EXPECT_EQ(parsed.document->nodeCount(), 2'000'003u);
  EXPECT_EQ(parsed.document->root().children.size(), 2'000'002u);
  ASSERT_EQ(parsed.diagnostics.all().size(), 1u);
  EXPECT_EQ(parsed.diagnostics.all()[0].pos, (SourcePos{1'000'001, 1}));
  EXPECT_EQ(parsed.document->get(parsed.document->root(), "key123")->value, "again");
  EXPECT_EQ(parsed.document->get(parsed.document->root(), "key999999")->value, "999999");
}

TEST(YamlTree, FileSizeLimit) {
  YamlLimits limits;
  limits.max_bytes = 8;
  expectRefused("a: 123456\n", DiagId::err_file_too_large, {}, "8 bytes", limits);
}

TEST(YamlTree, NodeCountLimit) {
  YamlLimits limits;
  limits.max_expanded_nodes = 5;
  expectRefused("[1, 2, 3, 4, 5]\n", DiagId::err_too_many_nodes, {1, 14}, "5", limits);
}

// --- The real corpus -----------------------------------------------------------------------------

TEST(YamlTree, EveryRealSdmSchemasFileParsesCleanly) {
  std::filesystem::path root = testing::sdmSchemasDir();
  std::vector<std::filesystem::path> files = testing::yamlFilesIn(root / "yml");
  std::vector<std::filesystem::path> history = testing::yamlFilesIn(root / "history" / "cdb_latiss");
  files.insert(files.end(), history.begin(), history.end());
  EXPECT_EQ(files.size(), 59u);
  for (const auto& path : files) {
    std::string text = testing::readFile(path);
    model::Diagnostics diagnostics;
    auto document = parseYaml(text, path.string(), diagnostics);
    EXPECT_TRUE(document.has_value()) << path;
    for (const auto& diagnostic : diagnostics.all())
      ADD_FAILURE() << model::renderDiagnostic(diagnostic, text);
    if (!document) continue;
    EXPECT_EQ(document->root().kind, YamlNode::Kind::Mapping) << path;
    EXPECT_NE(document->get(document->root(), "name"), nullptr) << path;
    EXPECT_NE(document->get(document->root(), "tables"), nullptr) << path;
  }
}

}  // namespace
}  // namespace felisc::felis
