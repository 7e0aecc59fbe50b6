/// \file
/// Stage 0 of the Felis reader: a YAML document as a compact tree of nodes that
/// keep their source positions, built from libyaml's event stream.
///
/// libyaml is the YAML 1.1 parser that PyYAML's CSafeLoader (and so Felis) runs
/// on, so the syntax accepted here is exactly the syntax Felis accepts. Plain
/// scalars are resolved afterwards with PyYAML's SafeLoader rules
/// (resolveScalar), since YAML 1.1 typing (yes/no booleans, 0o17 octal, 1:30
/// sexagesimal, floats that need a '.') is part of the Felis format.
///
/// The tree is hostile-input safe: nesting depth, alias expansion and file size
/// are bounded, and an alias is a shared reference, never a copy.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "schema_model/diagnostic.h"
#include "schema_model/model.h"

namespace felisc::felis {

using NodeIndex = std::uint32_t;

struct YamlNode {
  enum class Kind : std::uint8_t { Scalar, Sequence, Mapping };
  enum class Style : std::uint8_t { Plain, SingleQuoted, DoubleQuoted, Literal, Folded, Other };

  // Views into storage the YamlDocument owns (its arena): a node is 64 bytes and
  // costs no allocation of its own; the tree of a 25 MB file is a few hundred
  // allocations instead of millions (issue 17).
  Kind kind = Kind::Scalar;
  Style style = Style::Plain;  ///< scalars only; only Plain ones are type-resolved
  model::SourcePos pos;        ///< where the node starts (1-based)
  std::string_view value;      ///< scalar text after YAML unescaping/folding
  std::string_view tag;        ///< explicit tag ("tag:yaml.org,2002:str"), empty if none
  /// Sequence: the items. Mapping: key, value, key, value, ... in file order,
  /// duplicates included (lookups use the last one, as PyYAML does).
  std::span<const NodeIndex> children;
};

struct YamlLimits {
  std::size_t max_bytes = 256u << 20;             ///< larger files are refused unread
  std::uint32_t max_depth = 1000;                 ///< deeper nesting is refused
  std::uint64_t max_expanded_nodes = 10'000'000;  ///< nodes reachable with aliases expanded
};

/// One parsed YAML document (the first and only one of its stream). Move-only:
/// its nodes view the text and child lists it owns.
class YamlDocument {
 public:
  YamlDocument() = default;
  YamlDocument(YamlDocument&&) = default;
  YamlDocument& operator=(YamlDocument&&) = default;
  YamlDocument(const YamlDocument&) = delete;
  YamlDocument& operator=(const YamlDocument&) = delete;

  [[nodiscard]] const YamlNode& root() const { return nodes_[root_]; }
  [[nodiscard]] const YamlNode& node(NodeIndex index) const { return nodes_[index]; }
  [[nodiscard]] std::size_t nodeCount() const { return nodes_.size(); }

  /// The value of the last `key` of a mapping (PyYAML: the last duplicate wins);
  /// nullptr when the node is not a mapping or has no such scalar key.
  [[nodiscard]] const YamlNode* get(const YamlNode& mapping, std::string_view key) const;

  std::vector<YamlNode> nodes_;
  NodeIndex root_ = 0;
  /// The children of every collection, one after another (YamlNode::children views it).
  std::vector<NodeIndex> child_pool_;
  /// Scalar and tag text (YamlNode::value and tag view it), in blocks that never move.
  std::vector<std::unique_ptr<char[]>> text_blocks_;
};

/// Parses `text` (the contents of `file`, used in diagnostics). Returns nullopt
/// after reporting an error; duplicate keys are reported as warnings.
std::optional<YamlDocument> parseYaml(std::string_view text, const std::string& file,
                                      model::Diagnostics& diagnostics, const YamlLimits& limits = {});

/// A scalar typed by YAML 1.1 (PyYAML SafeLoader) rules.
struct ResolvedScalar {
  enum class Kind : std::uint8_t { Null, Boolean, Integer, Float, String, Timestamp };
  Kind kind = Kind::String;
  /// canonical: decimal integer, Python float repr, "true"/"false", the string;
  /// "null" for Null and the scalar as written for a Timestamp
  std::string text;
  std::int64_t integer = 0;       ///< Integer (when it fits)
  double real = 0;                ///< Float
  bool boolean = false;           ///< Boolean
  bool integer_overflow = false;  ///< an Integer outside int64 (Python ints are unbounded)
};

/// Types a scalar node the way PyYAML's SafeLoader does: only plain scalars are
/// resolved (quoted and block scalars are strings), an explicit tag wins.
ResolvedScalar resolveScalar(const YamlNode& node);

/// Whether resolveScalar(node) gives a String, without building its text; a
/// cheap test for mapping keys (a plain `yes` or `1` key is not the string).
bool isStringScalar(const YamlNode& node);

/// Python's repr() of a float ("1.5", "1000.0", "1e-07", "inf", "nan").
std::string pythonFloatRepr(double value);

}  // namespace felisc::felis
