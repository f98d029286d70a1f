// PCRE2 wrapper for the model's Java regexes.
//
// Java (Coral) semantics are kept on purpose: no PCRE2_UCP, so \w, \d and \s stay ASCII-only as
// in java.util.regex without UNICODE_CHARACTER_CLASS ("café" fails [\w\s+=,.@-]+, a no-break
// space satisfies [\S]+), while \p{L} and friends still use Unicode properties in UTF mode.
// Whole-value matching uses PCRE2_ANCHORED | PCRE2_ENDANCHORED rather than "^(?:p)$", because
// '$' also matches before a final newline. '.' stops at \r and \n, as Java's does.
// Matching uses PCRE2's DFA algorithm, which cannot backtrack catastrophically: the message
// template patterns ([...]*\{##[...]*##\}[...]*) take tens of seconds on a hostile 20000-char
// value with backtracking (JIT or not), and a few milliseconds as a DFA.
// All 38 distinct patterns of the shipped model compile (service_model_constraints_test.cc).

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <memory>

#include "api/cognito/service_model_internal.h"

namespace cognate::api::model_internal {
namespace {

// Ints of DFA scratch space; the model's patterns need far fewer.
constexpr std::size_t kDfaWorkspace = 1000;
// Bounds the backtracking fallback, used only if the DFA cannot run a pattern.
constexpr std::uint32_t kMatchLimit = 1'000'000;

struct MatchDataDeleter {
  void operator()(pcre2_match_data* md) const { pcre2_match_data_free(md); }
};

// Only read by pcre2_match, so one context serves every thread.
pcre2_match_context* MatchContext() {
  static pcre2_match_context* const ctx = [] {
    pcre2_match_context* c = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(c, kMatchLimit);
    return c;
  }();
  return ctx;
}

pcre2_compile_context* CompileContext() {
  static pcre2_compile_context* const ctx = [] {
    pcre2_compile_context* c = pcre2_compile_context_create(nullptr);
    pcre2_set_newline(c, PCRE2_NEWLINE_ANYCRLF);
    return c;
  }();
  return ctx;
}

// One pair of offsets is enough: only success matters. Per thread, so matching needs no lock.
pcre2_match_data* ThreadMatchData() {
  thread_local std::unique_ptr<pcre2_match_data, MatchDataDeleter> md(
      pcre2_match_data_create(1, nullptr));
  return md.get();
}

pcre2_code* CompileAnchored(std::string_view pattern, int* code, PCRE2_SIZE* offset) {
  return pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                       PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED, code, offset,
                       CompileContext());
}

bool DfaFullMatch(const pcre2_code* re, std::string_view text) {
  // DFA matching: time grows with value length times pattern size, never exponentially.
  int workspace[kDfaWorkspace];
  int rc = pcre2_dfa_match(re, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0,
                           PCRE2_NO_UTF_CHECK, ThreadMatchData(), MatchContext(), workspace,
                           kDfaWorkspace);
  if (rc == PCRE2_ERROR_DFA_UITEM || rc == PCRE2_ERROR_DFA_UCOND || rc == PCRE2_ERROR_DFA_WSSIZE ||
      rc == PCRE2_ERROR_DFA_RECURSE) {
    // Constructs the DFA does not handle (none in the shipped model): backtrack, bounded.
    rc = pcre2_match(re, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0,
                     PCRE2_NO_UTF_CHECK, ThreadMatchData(), MatchContext());
  }
  // rc == 0 means the ovector was too small, which still is a match; a match-limit error
  // counts as no match.
  return rc >= 0;
}

// For "[CLASS]+" and "[CLASS]*": the class alone ("[CLASS]"), else empty. A ']' inside the
// class (escaped or leading) makes it ineligible, which only costs the fast path.
std::string_view RepeatedClass(std::string_view pattern) {
  if (pattern.size() < 4 || pattern.front() != '[' || pattern[pattern.size() - 2] != ']' ||
      (pattern.back() != '+' && pattern.back() != '*')) {
    return {};
  }
  std::string_view cls = pattern.substr(0, pattern.size() - 1);
  if (cls.find(']') != cls.size() - 1) return {};
  return cls;
}

}  // namespace

std::unique_ptr<Regex> Regex::Compile(const std::string& pattern, std::string* error) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = CompileAnchored(pattern, &code, &offset);
  if (re == nullptr) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(code, buf, sizeof(buf));
    if (error != nullptr) {
      *error = reinterpret_cast<const char*>(buf);
      *error += " at offset " + std::to_string(offset);
    }
    return nullptr;
  }
  std::unique_ptr<Regex> regex(new Regex(re));
  if (std::string_view cls = RepeatedClass(pattern); !cls.empty()) {
    if (pcre2_code* one = CompileAnchored(cls, &code, &offset)) {
      for (int c = 0; c < 128; ++c) {
        const char ch = static_cast<char>(c);
        regex->ascii_table_[c] = DfaFullMatch(one, std::string_view(&ch, 1));
      }
      pcre2_code_free(one);
      regex->has_ascii_table_ = true;
      regex->allows_empty_ = pattern.back() == '*';
    }
  }
  return regex;
}

Regex::~Regex() { pcre2_code_free(static_cast<pcre2_code*>(code_)); }

bool Regex::FullMatch(std::string_view text) const {
  const auto* re = static_cast<const pcre2_code*>(code_);
  if (!has_ascii_table_) return DfaFullMatch(re, text);
  // Every character must be in the class: an ASCII one outside it settles the answer; a
  // non-ASCII one is left to PCRE2 (Unicode classes).
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 128) return DfaFullMatch(re, text);
    if (!ascii_table_[c]) return false;
  }
  return allows_empty_ || !text.empty();
}

}  // namespace cognate::api::model_internal
