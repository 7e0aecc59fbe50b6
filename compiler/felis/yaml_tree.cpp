/// \file
/// The YAML tree, built from libyaml's event stream (yaml_parser_parse) in one
/// forward pass without recursion: open collections live on an explicit stack and
/// their children on a shared scratch stack, so nesting depth costs heap, not
/// call stack, and a collection's children are allocated once, at its end.
///
/// Composition follows PyYAML's composer and SafeConstructor where felis would
/// fail: an undefined alias, a duplicate anchor, more than one document, an empty
/// document (PyYAML returns None, which felis cannot load: `---` alone is an
/// error too) and a sequence or mapping used as a key ("found unhashable key")
/// are errors. Beyond PyYAML, a recursive alias (`&a [*a]`, which PyYAML turns
/// into a self-containing list) is refused, so the tree is always a DAG.
///
/// Merge keys (`<<`) are NOT applied: they stay ordinary keys with their value.
/// Felis files never use them; a reader that meets one sees a key `<<`.
///
/// Positions: libyaml counts columns in characters; they are turned into byte
/// columns (what the diagnostic renderer's caret expects). On line 1 a UTF-8 BOM
/// is not counted. In UTF-16 input (which libyaml decodes) columns stay in
/// characters.

#include <yaml.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compiler/felis/yaml_tree.h"

namespace felisc::felis {

namespace {

using model::DiagId;
using model::SourcePos;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
/// Mappings with more keys than this find duplicates by hashing, not pairwise.
constexpr std::size_t kPairwiseDuplicateLimit = 16;
constexpr std::uint32_t kEmptySlot = std::numeric_limits<std::uint32_t>::max();
/// Upper bound of the up-front node reservation (the vector still grows past it).
constexpr std::size_t kMaxReservedNodes = std::size_t{1} << 22;

std::uint32_t clampToU32(std::size_t value) {
  return static_cast<std::uint32_t>(std::min<std::size_t>(value, std::numeric_limits<std::uint32_t>::max()));
}

/// What one quick pass over the text tells: whether it is pure ASCII, and how
/// many line breaks and commas it has (to size the node vector).
struct TextSurvey {
  bool ascii = true;
  std::size_t separators = 0;
};

/// Eight bytes at a time, without popcount (not in baseline x86-64): this pass
/// must cost little next to libyaml's own.
TextSurvey surveyText(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  constexpr std::uint64_t kEvenBytes = 0x00FF00FF00FF00FFull;
  // 0x01 in exactly the bytes of `word` that are zero.
  auto zeroBytes = [](std::uint64_t word) { return (~(((word & kLow7) + kLow7) | word | kLow7)) >> 7; };
  // Sum of the eight byte lanes of `lanes`.
  auto sumLanes = [](std::uint64_t lanes) {
    std::uint64_t pairs = (lanes & kEvenBytes) + ((lanes >> 8) & kEvenBytes);
    return static_cast<std::size_t>((pairs * 0x0001000100010001ull) >> 48);
  };
  TextSurvey survey;
  std::uint64_t high_bits = 0;
  std::uint64_t lanes = 0;  // per-byte counters: at most 2 per word, flushed before 255
  std::size_t i = 0;
  for (std::size_t words = 0; i + 8 <= text.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + i, 8);
    high_bits |= word;
    lanes += zeroBytes(word ^ (kOnes * '\n')) + zeroBytes(word ^ (kOnes * ','));
    if (++words % 127 == 0) {
      survey.separators += sumLanes(lanes);
      lanes = 0;
    }
  }
  survey.separators += sumLanes(lanes);
  for (; i < text.size(); ++i) {
    high_bits |= static_cast<unsigned char>(text[i]);
    survey.separators += static_cast<std::size_t>(text[i] == '\n' || text[i] == ',');
  }
  survey.ascii = (high_bits & (kOnes * 0x80)) == 0;
  return survey;
}

/// Turns libyaml marks (0-based, columns in characters) into 1-based positions
/// with byte columns. Pure ASCII input, the common case, needs no work; otherwise
/// a cursor walks forward through the text as the (almost always increasing)
/// marks arrive, so the whole file costs one pass.
class PositionMapper {
 public:
  PositionMapper(std::string_view text, bool ascii) : text_(text) {
    if (text.starts_with(kUtf8Bom)) start_ = kUtf8Bom.size();
    bool utf16 = text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF");
    bool ascii_after_bom = ascii || (start_ > 0 && surveyText(text.substr(start_)).ascii);
    identity_ = utf16 || ascii_after_bom;
    reset();
  }

  SourcePos map(const yaml_mark_t& mark) {
    if (identity_) return {clampToU32(mark.line + 1), clampToU32(mark.column + 1)};
    if (mark.index < char_index_) reset();
    while (char_index_ < mark.index && byte_ < text_.size()) advance();
    return {clampToU32(mark.line + 1), clampToU32(byte_ - line_start_ + 1)};
  }

  /// For reader errors, which libyaml reports as a byte offset into the input.
  [[nodiscard]] SourcePos mapByteOffset(std::size_t offset) const {
    offset = std::min(offset, text_.size());
    std::string_view before = text_.substr(0, offset);
    auto line = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n')) + 1;
    std::size_t last_break = before.rfind('\n');
    std::size_t line_start = last_break == std::string_view::npos ? std::min(start_, offset) : last_break + 1;
    return {clampToU32(line), clampToU32(offset - line_start + 1)};
  }

 private:
  void reset() {
    byte_ = start_;
    char_index_ = 0;
    line_start_ = start_;
  }

  /// Steps over one UTF-8 character, noting where a line begins after a break
  /// (libyaml's breaks: LF, CR, CRLF, NEL, LS, PS).
  void advance() {
    auto lead = static_cast<unsigned char>(text_[byte_]);
    std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    std::string_view character = text_.substr(byte_, length);
    bool line_break = lead == '\n' || (lead == '\r' && text_.substr(byte_ + 1, 1) != "\n") ||
                      character == "\xC2\x85" || character == "\xE2\x80\xA8" || character == "\xE2\x80\xA9";
    byte_ = std::min(byte_ + length, text_.size());
    ++char_index_;
    if (line_break) line_start_ = byte_;
  }

  std::string_view text_;
  std::size_t start_ = 0;
  bool identity_ = true;
  std::size_t byte_ = 0;
  std::size_t char_index_ = 0;
  std::size_t line_start_ = 0;
};

/// Owns a libyaml parser.
class LibyamlParser {
 public:
  LibyamlParser() : ok_(yaml_parser_initialize(&parser_) != 0) {}
  ~LibyamlParser() { yaml_parser_delete(&parser_); }
  LibyamlParser(const LibyamlParser&) = delete;
  LibyamlParser& operator=(const LibyamlParser&) = delete;

  [[nodiscard]] bool ok() const { return ok_; }
  yaml_parser_t* get() { return &parser_; }

 private:
  yaml_parser_t parser_{};
  bool ok_;
};

/// Owns one event.
struct LibyamlEvent {
  yaml_event_t event{};
  LibyamlEvent() = default;
  ~LibyamlEvent() { yaml_event_delete(&event); }
  LibyamlEvent(const LibyamlEvent&) = delete;
  LibyamlEvent& operator=(const LibyamlEvent&) = delete;
};

YamlNode::Style styleOf(yaml_scalar_style_t style) {
  switch (style) {
    case YAML_PLAIN_SCALAR_STYLE: return YamlNode::Style::Plain;
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: return YamlNode::Style::SingleQuoted;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return YamlNode::Style::DoubleQuoted;
    case YAML_LITERAL_SCALAR_STYLE: return YamlNode::Style::Literal;
    case YAML_FOLDED_SCALAR_STYLE: return YamlNode::Style::Folded;
    default: return YamlNode::Style::Other;
  }
}

std::string_view asText(const yaml_char_t* text) {
  return text == nullptr ? std::string_view{} : std::string_view(reinterpret_cast<const char*>(text));
}

std::string positionText(SourcePos pos) {
  return std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

std::string hexValue(int value) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string digits;
  auto remaining = static_cast<unsigned>(value);
  do {
    digits.insert(digits.begin(), kDigits[remaining % 16]);
    remaining /= 16;
  } while (remaining != 0);
  if (digits.size() < 2) digits.insert(digits.begin(), '0');
  return "#x" + digits;
}

std::uint64_t saturatingAdd(std::uint64_t a, std::uint64_t b) {
  return b > std::numeric_limits<std::uint64_t>::max() - a ? std::numeric_limits<std::uint64_t>::max()
                                                           : a + b;
}

/// What makes two mapping keys the same key in Python: the constructed value.
/// Numbers compare by value across int, float and bool (1 == 1.0 == True);
/// timestamps compare by their text (an approximation).
enum class KeyClass : std::uint8_t { String, Null, Number, Timestamp };

struct KeyIdentity {
  KeyClass key_class = KeyClass::String;
  std::string_view text;

  friend bool operator==(const KeyIdentity&, const KeyIdentity&) = default;
  friend bool operator<(const KeyIdentity& a, const KeyIdentity& b) {
    return a.key_class != b.key_class ? a.key_class < b.key_class : a.text < b.text;
  }
};

/// The text under which a float key equals an int key: integral floats as their
/// exact integer, -0.0 as 0, others (and inf, nan) as repr.
std::string floatKeyText(const ResolvedScalar& resolved) {
  double value = resolved.real;
  if (value == 0) return "0";
  if (std::isfinite(value) && value == std::trunc(value)) {
    char buffer[400];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 0);
    return std::string(buffer, result.ptr);
  }
  return resolved.text;
}

/// Builds a YamlDocument from libyaml events.
class TreeBuilder {
 public:
  TreeBuilder(std::string_view text, const std::string& file, model::Diagnostics& diagnostics,
              const YamlLimits& limits)
      : text_(text),
        file_(file),
        diagnostics_(diagnostics),
        limits_(limits),
        max_nodes_(
            std::min<std::uint64_t>(limits.max_expanded_nodes, std::numeric_limits<NodeIndex>::max() - 1)),
        survey_(surveyText(text)),
        positions_(text, survey_.ascii) {}

  std::optional<YamlDocument> run() {
    if (text_.size() > limits_.max_bytes) {
      diagnostics_.report(DiagId::err_file_too_large, file_, {}, {std::to_string(limits_.max_bytes)});
      return std::nullopt;
    }
    LibyamlParser parser;
    if (!parser.ok()) {
      diagnostics_.report(DiagId::err_yaml_syntax, file_, {}, {"libyaml could not start (out of memory)"});
      return std::nullopt;
    }
    static constexpr unsigned char kNoText[] = "";  // libyaml asserts on a null pointer
    const auto* input = text_.empty() ? kNoText : reinterpret_cast<const unsigned char*>(text_.data());
    yaml_parser_set_input_string(parser.get(), input, text_.size());
    std::size_t reserved = estimateNodeCount();
    document_.nodes_.reserve(reserved);
    document_.child_pool_.reserve(reserved);
    sizes_.reserve(reserved);
    child_ranges_.reserve(reserved);
    pending_.reserve(256);
    open_.reserve(64);
    for (;;) {
      LibyamlEvent event;
      if (yaml_parser_parse(parser.get(), &event.event) == 0) {
        reportLibyamlError(*parser.get());
        return std::nullopt;
      }
      if (!handle(event.event)) return std::nullopt;
      if (event.event.type == YAML_STREAM_END_EVENT) break;
    }
    if (!checkNotEmpty()) return std::nullopt;
    // The pool has stopped growing: the child lists can point into it now.
    for (std::size_t i = 0; i < document_.nodes_.size(); ++i) {
      const ChildRange range = child_ranges_[i];
      if (range.count != 0)
        document_.nodes_[i].children = {document_.child_pool_.data() + range.first, range.count};
    }
    return std::move(document_);
  }

 private:
  struct OpenCollection {
    NodeIndex node;
    std::size_t first_child;  ///< where its children start in pending_
  };

  /// Where a collection's children are in the document's child pool; the
  /// nodes get their views at the end, when the pool no longer moves.
  struct ChildRange {
    std::size_t first = 0;
    std::size_t count = 0;
  };

  /// A copy of `text` in the document's text blocks: 64 KiB blocks filled one
  /// after another, a block of its own for text larger than a quarter of that.
  std::string_view storeText(std::string_view text) {
    if (text.empty()) return {};
    constexpr std::size_t kBlockSize = std::size_t{64} << 10;
    if (text.size() > kBlockSize / 4) {
      auto& block = document_.text_blocks_.emplace_back(std::make_unique_for_overwrite<char[]>(text.size()));
      std::memcpy(block.get(), text.data(), text.size());
      return {block.get(), text.size()};
    }
    if (text.size() > block_left_) {
      block_next_ =
          document_.text_blocks_.emplace_back(std::make_unique_for_overwrite<char[]>(kBlockSize)).get();
      block_left_ = kBlockSize;
    }
    char* out = block_next_;
    std::memcpy(out, text.data(), text.size());
    block_next_ += text.size();
    block_left_ -= text.size();
    return {out, text.size()};
  }

  /// A little over two nodes per line or flow item (a key and its value; the
  /// corpus has 2.1 per line), so that the node vector rarely grows: growing
  /// moves every node and touches new pages.
  [[nodiscard]] std::size_t estimateNodeCount() const {
    return std::min(survey_.separators * 9 / 4 + 16, kMaxReservedNodes);
  }

  bool handle(const yaml_event_t& event) {
    switch (event.type) {
      case YAML_DOCUMENT_START_EVENT: return startDocument(event);
      case YAML_SCALAR_EVENT: return addScalar(event);
      case YAML_ALIAS_EVENT: return addAlias(event);
      case YAML_SEQUENCE_START_EVENT:
        return openCollection(YamlNode::Kind::Sequence, event, event.data.sequence_start.anchor,
                              event.data.sequence_start.tag);
      case YAML_MAPPING_START_EVENT:
        return openCollection(YamlNode::Kind::Mapping, event, event.data.mapping_start.anchor,
                              event.data.mapping_start.tag);
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: return closeCollection();
      default: return true;  // stream start/end, document end, no event
    }
  }

  bool startDocument(const yaml_event_t& event) {
    SourcePos pos = positions_.map(event.start_mark);
    if (documents_ > 0) {
      diagnostics_.report(DiagId::err_multiple_documents, file_, pos);
      return false;
    }
    ++documents_;
    document_start_ = pos;
    return true;
  }

  /// PyYAML gives None for an empty stream and for an empty document (`---`,
  /// comments only); felis then fails, so both are errors here.
  bool checkNotEmpty() {
    if (documents_ == 0) {
      diagnostics_.report(DiagId::err_empty_document, file_, {});
      return false;
    }
    const YamlNode& root = document_.root();
    if (root.kind == YamlNode::Kind::Scalar && root.style == YamlNode::Style::Plain && root.tag.empty() &&
        root.value.empty()) {
      diagnostics_.report(DiagId::err_empty_document, file_, document_start_);
      return false;
    }
    return true;
  }

  /// Appends a node; false (reported) when the document grows past the limit.
  bool newNode(YamlNode::Kind kind, const yaml_event_t& event, const yaml_char_t* anchor,
               const yaml_char_t* tag, NodeIndex& index) {
    SourcePos pos = positions_.map(event.start_mark);
    if (document_.nodes_.size() >= max_nodes_) {
      diagnostics_.report(DiagId::err_too_many_nodes, file_, pos, {std::to_string(max_nodes_)});
      return false;
    }
    index = static_cast<NodeIndex>(document_.nodes_.size());
    YamlNode& node = document_.nodes_.emplace_back();
    node.kind = kind;
    node.pos = pos;
    if (tag != nullptr) node.tag = storeText(asText(tag));
    sizes_.push_back(0);
    child_ranges_.emplace_back();
    if (anchor != nullptr) return defineAnchor(asText(anchor), index);
    return true;
  }

  bool defineAnchor(std::string_view name, NodeIndex index) {
    auto [it, inserted] = anchors_.try_emplace(std::string(name), index);
    if (inserted) return true;
    diagnostics_.report(DiagId::err_yaml_syntax, file_, document_.nodes_[index].pos,
                        {"found duplicate anchor '" + std::string(name) + "'; first occurrence at " +
                         positionText(document_.nodes_[it->second].pos)});
    return false;
  }

  /// Makes `index` the next child of the innermost open collection, or the root.
  void attach(NodeIndex index) {
    if (open_.empty()) {
      document_.root_ = index;
      return;
    }
    pending_.push_back(index);
  }

  bool addScalar(const yaml_event_t& event) {
    NodeIndex index = 0;
    if (!newNode(YamlNode::Kind::Scalar, event, event.data.scalar.anchor, event.data.scalar.tag, index))
      return false;
    YamlNode& node = document_.nodes_[index];
    node.style = styleOf(event.data.scalar.style);
    node.value =
        storeText({reinterpret_cast<const char*>(event.data.scalar.value), event.data.scalar.length});
    sizes_[index] = 1;
    attach(index);
    return true;
  }

  /// An alias is the anchored node's index again: shared, never copied.
  bool addAlias(const yaml_event_t& event) {
    std::string_view name = asText(event.data.alias.anchor);
    auto it = anchors_.find(std::string(name));
    if (it == anchors_.end()) {
      diagnostics_.report(DiagId::err_yaml_syntax, file_, positions_.map(event.start_mark),
                          {"found undefined alias '" + std::string(name) + "'"});
      return false;
    }
    if (sizes_[it->second] == 0) {  // still open: the alias is inside its own anchor
      diagnostics_.report(DiagId::err_recursive_alias, file_, positions_.map(event.start_mark), {name});
      return false;
    }
    attach(it->second);
    return true;
  }

  bool openCollection(YamlNode::Kind kind, const yaml_event_t& event, const yaml_char_t* anchor,
                      const yaml_char_t* tag) {
    NodeIndex index = 0;
    if (!newNode(kind, event, anchor, tag, index)) return false;
    attach(index);
    open_.push_back({index, pending_.size()});
    if (open_.size() > limits_.max_depth) {
      diagnostics_.report(DiagId::err_too_deep, file_, document_.nodes_[index].pos,
                          {std::to_string(limits_.max_depth)});
      return false;
    }
    return true;
  }

  /// Moves the children in place and sums the expanded size: each child, alias
  /// or not, counts its whole subtree, so a billion laughs stops here early.
  bool closeCollection() {
    OpenCollection open = open_.back();
    open_.pop_back();
    YamlNode& node = document_.nodes_[open.node];
    std::vector<NodeIndex>& pool = document_.child_pool_;
    ChildRange range{pool.size(), pending_.size() - open.first_child};
    pool.insert(pool.end(), pending_.begin() + static_cast<std::ptrdiff_t>(open.first_child), pending_.end());
    pending_.resize(open.first_child);
    child_ranges_[open.node] = range;
    std::span<const NodeIndex> children(pool.data() + range.first, range.count);  // valid until pool grows
    std::uint64_t size = 1;
    for (NodeIndex child : children) size = saturatingAdd(size, sizes_[child]);
    if (size > limits_.max_expanded_nodes) {
      diagnostics_.report(DiagId::err_alias_expansion, file_, node.pos,
                          {std::to_string(limits_.max_expanded_nodes)});
      return false;
    }
    sizes_[open.node] = size;
    return node.kind != YamlNode::Kind::Mapping || checkKeys(children);
  }

  /// Keys must be scalars (PyYAML: "found unhashable key"); a later duplicate
  /// of a key gets a warning, and lookups take the last one as PyYAML does.
  bool checkKeys(std::span<const NodeIndex> children) {
    std::size_t count = children.size() / 2;
    identities_.clear();
    key_texts_.clear();
    key_texts_.reserve(count);  // views into key_texts_ must stay valid
    for (std::size_t i = 0; i < count; ++i) {
      const YamlNode& key = document_.nodes_[children[2 * i]];
      if (key.kind != YamlNode::Kind::Scalar) {
        diagnostics_.report(DiagId::err_non_scalar_key, file_, key.pos,
                            {key.kind == YamlNode::Kind::Sequence ? "sequence" : "mapping"});
        return false;
      }
      identities_.push_back(identityOf(key));
    }
    if (count < 2) return true;
    duplicates_.clear();
    if (count <= kPairwiseDuplicateLimit) {
      for (std::size_t j = 1; j < count; ++j)
        for (std::size_t i = 0; i < j; ++i)
          if (identities_[i] == identities_[j]) {
            duplicates_.push_back(j);
            break;
          }
    } else if (!findDuplicatesByHashing(count)) {
      findDuplicatesBySorting(count);
    }
    for (std::size_t j : duplicates_) {
      const YamlNode& key = document_.nodes_[children[2 * j]];
      diagnostics_.report(DiagId::warn_duplicate_key, file_, key.pos, {std::string(key.value)});
    }
    return true;
  }

  /// Expected O(n) for big mappings, with an open-addressing table of key
  /// positions; reports in file order. Gives up (false) when probing runs long,
  /// as crafted colliding keys would make it, so that sorting takes over.
  bool findDuplicatesByHashing(std::size_t count) {
    std::size_t capacity = std::bit_ceil(count * 2);
    slots_.assign(capacity, Slot{});
    std::size_t probe_budget = 8 * count;
    for (std::size_t j = 0; j < count; ++j) {
      const KeyIdentity& identity = identities_[j];
      std::uint64_t hash = hashOf(identity);
      auto check = static_cast<std::uint32_t>(hash >> 32);
      std::size_t slot = hash & (capacity - 1);
      for (;;) {
        Slot& occupant = slots_[slot];
        if (occupant.key == kEmptySlot) {
          occupant = {static_cast<std::uint32_t>(j), check};
          break;
        }
        // The stored hash bits spare most visits to the other key's text.
        if (occupant.check == check && identities_[occupant.key] == identity) {
          duplicates_.push_back(j);
          break;
        }
        if (probe_budget-- == 0) {
          duplicates_.clear();
          return false;
        }
        slot = (slot + 1) & (capacity - 1);
      }
    }
    return true;
  }

  /// FNV-1a over the class and the text.
  static std::uint64_t hashOf(const KeyIdentity& identity) {
    std::uint64_t hash = 14695981039346656037ull ^ static_cast<std::uint8_t>(identity.key_class);
    for (char c : identity.text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return hash ^ (hash >> 29);
  }

  /// O(n log n) whatever the keys: every key after the first of its run is a duplicate.
  void findDuplicatesBySorting(std::size_t count) {
    order_.resize(count);
    for (std::size_t i = 0; i < count; ++i) order_[i] = static_cast<std::uint32_t>(i);
    std::sort(order_.begin(), order_.end(), [this](std::uint32_t a, std::uint32_t b) {
      const KeyIdentity& x = identities_[a];
      const KeyIdentity& y = identities_[b];
      if (x == y) return a < b;
      return x < y;
    });
    for (std::size_t i = 1; i < count; ++i)
      if (identities_[order_[i]] == identities_[order_[i - 1]]) duplicates_.push_back(order_[i]);
    std::sort(duplicates_.begin(), duplicates_.end());  // report in file order
  }

  KeyIdentity identityOf(const YamlNode& key) {
    if (isStringScalar(key)) return {KeyClass::String, key.value};
    ResolvedScalar resolved = resolveScalar(key);
    switch (resolved.kind) {
      case ResolvedScalar::Kind::Null: return {KeyClass::Null, {}};
      case ResolvedScalar::Kind::Boolean: return {KeyClass::Number, resolved.boolean ? "1" : "0"};
      case ResolvedScalar::Kind::Integer: return {KeyClass::Number, keepText(std::move(resolved.text))};
      case ResolvedScalar::Kind::Float: return {KeyClass::Number, keepText(floatKeyText(resolved))};
      case ResolvedScalar::Kind::Timestamp: return {KeyClass::Timestamp, key.value};
      case ResolvedScalar::Kind::String: break;
    }
    return {KeyClass::String, key.value};
  }

  std::string_view keepText(std::string text) {
    key_texts_.push_back(std::move(text));
    return key_texts_.back();
  }

  void reportLibyamlError(const yaml_parser_t& parser) {
    std::string message = parser.problem != nullptr ? parser.problem : "unknown libyaml error";
    SourcePos pos;
    switch (parser.error) {
      case YAML_MEMORY_ERROR: message = "libyaml ran out of memory"; break;
      case YAML_READER_ERROR:
        if (parser.problem_value != -1) {
          message += ' ';  // not `" " + string`: GCC 12 -O3 -Wrestrict false positive (bug 105329)
          message += hexValue(parser.problem_value);
        }
        pos = positions_.mapByteOffset(parser.problem_offset);
        break;
      default:
        pos = positions_.map(parser.problem_mark);
        if (parser.context != nullptr)
          message += std::string(" (") + parser.context + " that starts at " +
                     positionText(positions_.map(parser.context_mark)) + ")";
        break;
    }
    diagnostics_.report(DiagId::err_yaml_syntax, file_, pos, {message});
  }

  std::string_view text_;
  const std::string& file_;
  model::Diagnostics& diagnostics_;
  const YamlLimits& limits_;
  std::uint64_t max_nodes_;
  TextSurvey survey_;
  PositionMapper positions_;

  YamlDocument document_;
  int documents_ = 0;
  SourcePos document_start_;
  std::vector<std::uint64_t> sizes_;      ///< expanded subtree size per node; 0 while open
  std::vector<ChildRange> child_ranges_;  ///< per node
  char* block_next_ = nullptr;            ///< free space of the current text block
  std::size_t block_left_ = 0;
  std::vector<OpenCollection> open_;
  std::vector<NodeIndex> pending_;
  std::unordered_map<std::string, NodeIndex> anchors_;  // lookups only, never iterated

  // Scratch space of checkKeys, kept to avoid allocating per mapping.
  std::vector<KeyIdentity> identities_;
  std::vector<std::string> key_texts_;
  std::vector<std::uint32_t> order_;
  struct Slot {
    std::uint32_t key = kEmptySlot;  ///< index of the key in identities_
    std::uint32_t check = 0;         ///< high hash bits
  };
  std::vector<Slot> slots_;
  std::vector<std::size_t> duplicates_;
};

}  // namespace

const YamlNode* YamlDocument::get(const YamlNode& mapping, std::string_view key) const {
  if (mapping.kind != YamlNode::Kind::Mapping) return nullptr;
  std::span<const NodeIndex> children = mapping.children;
  for (std::size_t i = children.size(); i >= 2; i -= 2) {
    const YamlNode& candidate = nodes_[children[i - 2]];
    if (candidate.kind == YamlNode::Kind::Scalar && candidate.value == key && isStringScalar(candidate))
      return &nodes_[children[i - 1]];
  }
  return nullptr;
}

std::optional<YamlDocument> parseYaml(std::string_view text, const std::string& file,
                                      model::Diagnostics& diagnostics, const YamlLimits& limits) {
  return TreeBuilder(text, file, diagnostics, limits).run();
}

}  // namespace felisc::felis
