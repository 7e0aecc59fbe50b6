/// \file
/// YAML 1.1 scalar typing, exactly as PyYAML's SafeLoader does it: the implicit
/// resolvers of yaml/resolver.py (hand-written matchers for its regular
/// expressions, no std::regex) and the value construction of yaml/constructor.py.
///
/// Where PyYAML itself would fail while constructing a value (e.g. `0b_`,
/// `!!int abc`, a plain `=` or `<<` used as a value), the scalar is given back as
/// a String: callers that care look at the tag and text and report it.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "compiler/felis/yaml_tree.h"

namespace felisc::felis {

namespace {

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";
/// Integers written in base 2, 8, 16 or 60 with more characters than this are
/// not converted to decimal text (the conversion is quadratic); their text is
/// the scalar as written. Python itself refuses most such integers.
constexpr std::size_t kMaxBigIntegerChars = 4300;

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHexDigit(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/// Consumes `[0-5]?[0-9]` at `pos` (greedy is exact here: what follows is never a digit).
bool consumeSexagesimalDigits(std::string_view s, std::size_t& pos) {
  if (pos >= s.size() || !isDigit(s[pos])) return false;
  if (pos + 1 < s.size() && isDigit(s[pos + 1]) && s[pos] <= '5') {
    pos += 2;
  } else {
    pos += 1;
  }
  return true;
}

/// Consumes `(?::[0-5]?[0-9])+`; false when there is not at least one group.
bool consumeSexagesimalGroups(std::string_view s, std::size_t& pos) {
  bool any = false;
  while (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!consumeSexagesimalDigits(s, pos)) return false;
    any = true;
  }
  return any;
}

std::size_t skipWhile(std::string_view s, std::size_t pos, bool (*pred)(char)) {
  while (pos < s.size() && pred(s[pos])) ++pos;
  return pos;
}

bool isDigitOrUnderscore(char c) { return isDigit(c) || c == '_'; }
bool isBinaryOrUnderscore(char c) { return c == '0' || c == '1' || c == '_'; }
bool isOctalOrUnderscore(char c) { return (c >= '0' && c <= '7') || c == '_'; }
bool isHexOrUnderscore(char c) { return isHexDigit(c) || c == '_'; }
bool isBlank(char c) { return c == ' ' || c == '\t'; }

// --- The implicit resolvers (yaml/resolver.py) ---------------------------------

bool matchBool(std::string_view s) {
  static constexpr std::string_view kWords[] = {"yes",  "Yes",  "YES",  "no",    "No",    "NO",
                                                "true", "True", "TRUE", "false", "False", "FALSE",
                                                "on",   "On",   "ON",   "off",   "Off",   "OFF"};
  return std::find(std::begin(kWords), std::end(kWords), s) != std::end(kWords);
}

bool matchNull(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

/// `[eE][-+][0-9]+` from `pos` to the end.
bool matchExponentToEnd(std::string_view s, std::size_t pos) {
  if (pos == s.size()) return true;  // the exponent is optional
  if (s[pos] != 'e' && s[pos] != 'E') return false;
  ++pos;
  if (pos == s.size() || (s[pos] != '-' && s[pos] != '+')) return false;
  ++pos;
  std::size_t end = skipWhile(s, pos, isDigit);
  return end > pos && end == s.size();
}

bool matchSpecial(std::string_view rest, std::string_view lower, std::string_view title,
                  std::string_view upper) {
  return rest == lower || rest == title || rest == upper;
}

/// PyYAML's float regex:
///   [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
///   | \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
///   | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
///   | [-+]?\.(?:inf|Inf|INF)
///   | \.(?:nan|NaN|NAN)
/// That is PyYAML 6.0's; the older form often quoted, `\.[0-9_]+`, also matched `._`.
bool matchFloat(std::string_view s) {
  if (s.empty()) return false;
  if (s[0] == '.') {
    std::string_view rest = s.substr(1);
    if (matchSpecial(rest, "inf", "Inf", "INF") || matchSpecial(rest, "nan", "NaN", "NAN")) return true;
    if (s.size() < 2 || !isDigit(s[1])) return false;
    return matchExponentToEnd(s, skipWhile(s, 2, isDigitOrUnderscore));
  }
  std::size_t pos = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (pos < s.size() && s[pos] == '.') return matchSpecial(s.substr(pos + 1), "inf", "Inf", "INF");
  if (pos >= s.size() || !isDigit(s[pos])) return false;
  pos = skipWhile(s, pos + 1, isDigitOrUnderscore);
  if (pos < s.size() && s[pos] == '.')
    return matchExponentToEnd(s, skipWhile(s, pos + 1, isDigitOrUnderscore));
  if (!consumeSexagesimalGroups(s, pos)) return false;
  if (pos >= s.size() || s[pos] != '.') return false;
  return skipWhile(s, pos + 1, isDigitOrUnderscore) == s.size();
}

/// PyYAML's int regex:
///   [-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(?:0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+
///   | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
bool matchInt(std::string_view s) {
  std::size_t pos = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  std::string_view body = s.substr(pos);
  if (body.empty()) return false;
  if (body == "0") return true;
  if (body[0] == '0') {
    if (body.size() > 2 && body[1] == 'b') return skipWhile(body, 2, isBinaryOrUnderscore) == body.size();
    if (body.size() > 2 && body[1] == 'x') return skipWhile(body, 2, isHexOrUnderscore) == body.size();
    return skipWhile(body, 1, isOctalOrUnderscore) == body.size();
  }
  if (!isDigit(body[0])) return false;
  std::size_t end = skipWhile(body, 1, isDigitOrUnderscore);
  if (end == body.size()) return true;
  return consumeSexagesimalGroups(body, end) && end == body.size();
}

bool matchDigits(std::string_view s, std::size_t& pos, std::size_t min, std::size_t max) {
  std::size_t count = 0;
  while (count < max && pos < s.size() && isDigit(s[pos])) ++pos, ++count;
  return count >= min;
}

bool matchChar(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

/// PyYAML's timestamp regex (verbose mode, so its spaces do not count):
///   [0-9]{4}-[0-9]{2}-[0-9]{2}
///   | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}
///     (?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?
/// Every repetition is followed by a character it cannot consume, so greedy
/// matching without backtracking is exact.
bool matchTimestamp(std::string_view s) {
  std::size_t pos = 0;
  if (!matchDigits(s, pos, 4, 4) || !matchChar(s, pos, '-')) return false;
  if (s.size() == 10 && isDigit(s[5]) && isDigit(s[6]) && s[7] == '-' && isDigit(s[8]) && isDigit(s[9]))
    return true;
  if (!matchDigits(s, pos, 1, 2) || !matchChar(s, pos, '-') || !matchDigits(s, pos, 1, 2)) return false;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't')) {
    ++pos;
  } else {
    std::size_t end = skipWhile(s, pos, isBlank);
    if (end == pos) return false;
    pos = end;
  }
  if (!matchDigits(s, pos, 1, 2) || !matchChar(s, pos, ':') || !matchDigits(s, pos, 2, 2) ||
      !matchChar(s, pos, ':') || !matchDigits(s, pos, 2, 2))
    return false;
  if (pos < s.size() && s[pos] == '.') pos = skipWhile(s, pos + 1, isDigit);
  if (pos == s.size()) return true;
  pos = skipWhile(s, pos, isBlank);
  if (matchChar(s, pos, 'Z')) return pos == s.size();
  if (pos >= s.size() || (s[pos] != '-' && s[pos] != '+')) return false;
  ++pos;
  if (!matchDigits(s, pos, 1, 2)) return false;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!matchDigits(s, pos, 2, 2)) return false;
  }
  return pos == s.size();
}

enum class Implicit { Null, Bool, Int, Float, Timestamp, String };

/// The tag PyYAML's resolver gives a plain scalar; the first character picks the
/// candidate resolvers, as in BaseResolver.resolve. `<<` (merge) and `=` (value)
/// are left as strings: SafeLoader cannot construct them as values anyway.
Implicit classifyPlain(std::string_view s) {
  if (s.empty()) return Implicit::Null;
  switch (s[0]) {
    case 'y':
    case 'Y':
    case 'n':
    case 'N':
    case 't':
    case 'T':
    case 'f':
    case 'F':
    case 'o':
    case 'O':
      if (matchBool(s)) return Implicit::Bool;
      if (matchNull(s)) return Implicit::Null;
      return Implicit::String;
    case '~': return s.size() == 1 ? Implicit::Null : Implicit::String;
    case '.': return matchFloat(s) ? Implicit::Float : Implicit::String;
    case '-':
    case '+':
      if (matchFloat(s)) return Implicit::Float;
      if (matchInt(s)) return Implicit::Int;
      return Implicit::String;
    default: break;
  }
  if (!isDigit(s[0])) return Implicit::String;
  if (matchFloat(s)) return Implicit::Float;
  if (matchInt(s)) return Implicit::Int;
  if (matchTimestamp(s)) return Implicit::Timestamp;
  return Implicit::String;
}

// --- Construction (yaml/constructor.py SafeConstructor) -------------------------

/// An unbounded unsigned integer in base 1e9 limbs, little end first: enough to
/// turn a big 0x/0o/0b/sexagesimal integer into its decimal digits.
class BigUnsigned {
 public:
  void mulAdd(std::uint32_t factor, std::uint32_t addend) {
    std::uint64_t carry = addend;
    for (std::uint32_t& limb : limbs_) {
      std::uint64_t value = std::uint64_t{limb} * factor + carry;
      limb = static_cast<std::uint32_t>(value % kBase);
      carry = value / kBase;
    }
    while (carry != 0) {
      limbs_.push_back(static_cast<std::uint32_t>(carry % kBase));
      carry /= kBase;
    }
  }
  [[nodiscard]] bool isZero() const {
    return std::all_of(limbs_.begin(), limbs_.end(), [](std::uint32_t limb) { return limb == 0; });
  }
  [[nodiscard]] std::string decimal() const {
    std::size_t top = limbs_.size();
    while (top > 0 && limbs_[top - 1] == 0) --top;
    if (top == 0) return "0";
    std::string out = std::to_string(limbs_[top - 1]);
    for (std::size_t i = top - 1; i-- > 0;) {
      std::string part = std::to_string(limbs_[i]);
      out.append(9 - part.size(), '0');
      out += part;
    }
    return out;
  }

 private:
  static constexpr std::uint64_t kBase = 1'000'000'000;
  std::vector<std::uint32_t> limbs_;
};

int digitValue(char c) {
  if (isDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

/// Accumulates digits of `base` into a uint64, falling back to BigUnsigned on overflow.
class IntegerAccumulator {
 public:
  void push(std::uint32_t base, std::uint32_t digit) {
    if (big_) {
      big_->mulAdd(base, digit);
      return;
    }
    if (small_ <= (std::numeric_limits<std::uint64_t>::max() - digit) / base) {
      small_ = small_ * base + digit;
      return;
    }
    big_.emplace();
    std::string text = std::to_string(small_);
    for (char c : text) big_->mulAdd(10, static_cast<std::uint32_t>(c - '0'));
    big_->mulAdd(base, digit);
  }
  [[nodiscard]] bool overflowed() const { return big_.has_value(); }
  [[nodiscard]] std::uint64_t small() const { return small_; }
  [[nodiscard]] bool isZero() const { return big_ ? big_->isZero() : small_ == 0; }
  [[nodiscard]] std::string decimal() const { return big_ ? big_->decimal() : std::to_string(small_); }

 private:
  std::uint64_t small_ = 0;
  std::optional<BigUnsigned> big_;
};

/// Sets `out` from a sign and magnitude, as Python's sign*int(...) would.
void setInteger(ResolvedScalar& out, bool negative, const IntegerAccumulator& magnitude) {
  out.kind = ResolvedScalar::Kind::Integer;
  constexpr std::uint64_t kMaxPositive = std::numeric_limits<std::int64_t>::max();
  if (!magnitude.overflowed() && magnitude.small() <= kMaxPositive + (negative ? 1 : 0)) {
    std::uint64_t value = magnitude.small();
    out.integer = negative ? static_cast<std::int64_t>(0 - value) : static_cast<std::int64_t>(value);
    out.text = std::to_string(out.integer);
    return;
  }
  out.integer_overflow = true;
  // Appended, not `"-" + string`: GCC 12 at -O3 wrongly reports that as an
  // overlapping memcpy (-Wrestrict, bug 105329); the same below.
  out.text.clear();
  if (negative && !magnitude.isZero()) out.text += '-';
  out.text += magnitude.decimal();
}

std::string withoutUnderscores(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (c != '_') out += c;
  return out;
}

/// construct_yaml_int on text that matched the int regex. False where Python
/// would raise (e.g. `0b_`), or for huge integers of other bases than 10.
bool constructInt(std::string_view text, ResolvedScalar& out) {
  std::string value = withoutUnderscores(text);
  bool negative = !value.empty() && value[0] == '-';
  std::string_view digits = value;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
  if (digits.empty()) return false;
  IntegerAccumulator magnitude;
  if (digits == "0") {
    setInteger(out, negative, magnitude);
    return true;
  }
  std::uint32_t base = 10;
  if (digits.starts_with("0b")) {
    base = 2, digits.remove_prefix(2);
  } else if (digits.starts_with("0x")) {
    base = 16, digits.remove_prefix(2);
  } else if (digits[0] == '0') {
    base = 8;
  }
  bool sexagesimal = base == 10 && digits.find(':') != std::string_view::npos;
  if (digits.empty()) return false;
  if (base == 10 && !sexagesimal) {
    // Plain decimal: the digits are already canonical when they fit nowhere.
    for (char c : digits) {
      if (!isDigit(c)) return false;
      if (magnitude.overflowed()) break;
      magnitude.push(10, static_cast<std::uint32_t>(c - '0'));
    }
    if (magnitude.overflowed()) {
      out.kind = ResolvedScalar::Kind::Integer;
      out.integer_overflow = true;
      std::size_t first = digits.find_first_not_of('0');
      out.text.clear();
      if (negative) out.text += '-';
      out.text += digits.substr(first);
      return true;
    }
    setInteger(out, negative, magnitude);
    return true;
  }
  if (digits.size() > kMaxBigIntegerChars) {
    out.kind = ResolvedScalar::Kind::Integer;
    out.integer_overflow = true;
    out.text = std::string(text);
    return true;
  }
  if (sexagesimal) {
    // Horner's rule over the ':'-separated parts equals PyYAML's sum of digit*60^k.
    std::size_t start = 0;
    bool first = true;
    while (start <= digits.size()) {
      std::size_t end = std::min(digits.find(':', start), digits.size());
      std::string_view part = digits.substr(start, end - start);
      if (part.empty()) return false;
      if (first) {
        for (char c : part) magnitude.push(10, static_cast<std::uint32_t>(c - '0'));
      } else {
        std::uint32_t part_value = 0;
        for (char c : part) part_value = part_value * 10 + static_cast<std::uint32_t>(c - '0');
        magnitude.push(60, part_value);
      }
      first = false;
      start = end + 1;
    }
    setInteger(out, negative, magnitude);
    return true;
  }
  for (char c : digits) {
    int digit = digitValue(c);
    if (digit < 0 || static_cast<std::uint32_t>(digit) >= base) return false;
    magnitude.push(base, static_cast<std::uint32_t>(digit));
  }
  setInteger(out, negative, magnitude);
  return true;
}

std::string toLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

/// Roughly the decimal exponent of a number too big or too small for a double
/// (digits, '.', e[+-]N): only its sign matters.
long decimalMagnitude(std::string_view number) {
  std::size_t e = number.find_first_of("eE");
  long exponent = 0;
  if (e != std::string_view::npos) {
    std::string_view exponent_text = number.substr(e + 1);
    if (!exponent_text.empty() && exponent_text[0] == '+') exponent_text.remove_prefix(1);
    std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
    number = number.substr(0, e);
  }
  std::size_t point = std::min(number.find('.'), number.size());
  std::size_t first = number.find_first_not_of('0');
  if (first < point) return exponent + static_cast<long>(point - first);
  std::size_t significant = number.find_first_not_of('0', point + 1);
  if (significant == std::string_view::npos) return std::numeric_limits<long>::min();  // zero
  return exponent - static_cast<long>(significant - point - 1);
}

/// Python's float() on a part without a sign: "1.5", "1.", ".5", "1e3", "inf", "nan".
bool parsePythonFloat(std::string_view s, double& value) {
  while (!s.empty() && isBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && isBlank(s.back())) s.remove_suffix(1);
  if (s.empty()) return false;
  std::string_view digits = s;
  if (digits[0] == '+') digits.remove_prefix(1);
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (end != digits.data() + digits.size()) return false;
  if (error == std::errc::result_out_of_range) {
    // Python gives inf on overflow and 0.0 on underflow, from_chars gives nothing.
    value = decimalMagnitude(digits) > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    return true;
  }
  return error == std::errc();
}

/// construct_yaml_float. False where Python would raise (e.g. `!!float abc`).
bool constructFloat(std::string_view text, ResolvedScalar& out) {
  std::string value = toLower(withoutUnderscores(text));
  if (value.empty()) return false;
  double sign = value[0] == '-' ? -1.0 : 1.0;
  std::string_view body = value;
  if (body[0] == '-' || body[0] == '+') body.remove_prefix(1);
  double result = 0;
  if (body == ".inf") {
    result = sign * std::numeric_limits<double>::infinity();
  } else if (body == ".nan") {
    result = std::numeric_limits<double>::quiet_NaN();
  } else if (body.find(':') != std::string_view::npos) {
    // PyYAML sums float(part) * 60**k from the last part backwards.
    std::vector<double> parts;
    std::size_t start = 0;
    while (start <= body.size()) {
      std::size_t end = std::min(body.find(':', start), body.size());
      double part = 0;
      if (!parsePythonFloat(body.substr(start, end - start), part)) return false;
      parts.push_back(part);
      start = end + 1;
    }
    double base = 1;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      result += *it * base;
      base *= 60;
    }
    result *= sign;
  } else {
    if (!parsePythonFloat(body, result)) return false;
    result *= sign;
  }
  out.kind = ResolvedScalar::Kind::Float;
  out.real = result;
  out.text = pythonFloatRepr(result);
  return true;
}

void setString(ResolvedScalar& out, std::string_view text) {
  out.kind = ResolvedScalar::Kind::String;
  out.text = std::string(text);
}

void setBoolean(ResolvedScalar& out, bool value) {
  out.kind = ResolvedScalar::Kind::Boolean;
  out.boolean = value;
  out.text = value ? "true" : "false";
}

void setNull(ResolvedScalar& out) {
  out.kind = ResolvedScalar::Kind::Null;
  out.text = "null";
}

/// construct_yaml_bool: any case of yes/no/true/false/on/off.
bool constructBool(std::string_view text, ResolvedScalar& out) {
  std::string lower = toLower(text);
  bool truth = lower == "yes" || lower == "true" || lower == "on";
  if (!truth && lower != "no" && lower != "false" && lower != "off") return false;
  setBoolean(out, truth);
  return true;
}

/// Resolution with an explicit standard tag ("tag:yaml.org,2002:<name>").
ResolvedScalar resolveTagged(std::string_view name, std::string_view text) {
  ResolvedScalar out;
  bool done = false;
  if (name == "null") {
    setNull(out);
    done = true;
  } else if (name == "bool") {
    done = constructBool(text, out);
  } else if (name == "int") {
    done = matchInt(text) && constructInt(text, out);
  } else if (name == "float") {
    done = constructFloat(text, out);
  } else if (name == "timestamp" && matchTimestamp(text)) {
    out.kind = ResolvedScalar::Kind::Timestamp;
    out.text = std::string(text);
    done = true;
  }
  if (!done) {
    out = ResolvedScalar{};
    setString(out, text);
  }
  return out;
}

/// True when the plain-scalar resolvers apply: no tag, or the non-specific `!`
/// (libyaml then reports plain_implicit, even for a quoted scalar).
bool usesImplicitResolvers(const YamlNode& node) {
  return (node.tag.empty() && node.style == YamlNode::Style::Plain) || node.tag == "!";
}

}  // namespace

ResolvedScalar resolveScalar(const YamlNode& node) {
  ResolvedScalar out;
  if (node.kind != YamlNode::Kind::Scalar) return out;  // not a scalar: an empty String
  const std::string_view text = node.value;
  if (!usesImplicitResolvers(node)) {
    if (node.tag.starts_with(kTagPrefix))
      return resolveTagged(std::string_view(node.tag).substr(kTagPrefix.size()), text);
    setString(out, text);
    return out;
  }
  switch (classifyPlain(text)) {
    case Implicit::Null: setNull(out); return out;
    case Implicit::Bool: constructBool(text, out); return out;
    case Implicit::Int:
      if (constructInt(text, out)) return out;
      break;
    case Implicit::Float:
      if (constructFloat(text, out)) return out;
      break;
    case Implicit::Timestamp:
      out.kind = ResolvedScalar::Kind::Timestamp;
      out.text = text;
      return out;
    case Implicit::String: break;
  }
  out = ResolvedScalar{};
  setString(out, text);
  return out;
}

bool isStringScalar(const YamlNode& node) {
  if (node.kind != YamlNode::Kind::Scalar) return false;
  if (usesImplicitResolvers(node)) {
    Implicit implicit = classifyPlain(node.value);
    // A number PyYAML cannot construct (`0b_`, `0x_`) is left as a String too.
    if (implicit == Implicit::Int || implicit == Implicit::Float)
      return resolveScalar(node).kind == ResolvedScalar::Kind::String;
    return implicit == Implicit::String;
  }
  if (!node.tag.starts_with(kTagPrefix) || node.tag == "tag:yaml.org,2002:str") return true;
  return resolveScalar(node).kind == ResolvedScalar::Kind::String;
}

std::string pythonFloatRepr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  // Shortest round-trip digits, as Python's repr picks them.
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string_view sci(buffer, static_cast<std::size_t>(result.ptr - buffer));
  bool negative = sci[0] == '-';
  if (negative) sci.remove_prefix(1);
  std::size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e))
    if (c != '.') digits += c;
  int exponent = 0;
  std::string_view exponent_text = sci.substr(e + 1);
  if (exponent_text[0] == '+') exponent_text.remove_prefix(1);
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);

  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    // Python: one leading digit, '.' and the rest only if there are more digits, e[+-]XX.
    out += digits[0];
    if (digits.size() > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += exponent < 0 ? "e-" : "e+";
    int magnitude = std::abs(exponent);
    if (magnitude < 10) out += '0';
    out += std::to_string(magnitude);
    return out;
  }
  if (exponent < 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-exponent - 1), '0');
    out += digits;
    return out;
  }
  auto integer_digits = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= integer_digits) {
    out += digits;
    out.append(integer_digits - digits.size(), '0');
    out += ".0";
    return out;
  }
  out += digits.substr(0, integer_digits);
  out += '.';
  out += digits.substr(integer_digits);
  return out;
}

}  // namespace felisc::felis
