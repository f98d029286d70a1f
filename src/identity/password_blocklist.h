#pragma once
// Passwords too common to allow (NIST SP 800-63B §3.1.1.2: check new passwords against values
// known to be commonly used). Matching is whole-password and ASCII case-insensitive, so
// "Password1" is refused when "password1" is listed. By default the list is Debian john-data's
// /usr/share/john/password.lst (3,546 entries gathered by Openwall, public domain);
// `cognate serve --password-blocklist FILE|none` chooses another or none.
//
// The active list is process-wide, set once at start-up before requests are served (like the
// log level): CheckPasswordPolicy consults it at every password set, whatever the pool.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>

#include "common/result.h"

namespace cognate::identity {

class PasswordBlocklist {
 public:
  static constexpr std::size_t kMaxEntries = 1'000'000;
  static constexpr std::size_t kMaxEntryBytes = 256;

  // One password per line; "#!comment" lines (john's format) and empty lines are skipped, as
  // are lines longer than kMaxEntryBytes. Error when the file cannot be read or holds more than
  // kMaxEntries passwords.
  static Result<PasswordBlocklist> Load(const std::string& path);
  static PasswordBlocklist FromText(std::string_view text);

  bool Contains(std::string_view password) const;
  std::size_t size() const { return entries_.size(); }

 private:
  std::unordered_set<std::string> entries_;  // lowercased
};

// The list CheckPasswordPolicy uses; null (the default) checks nothing.
void SetActivePasswordBlocklist(std::shared_ptr<const PasswordBlocklist> blocklist);
std::shared_ptr<const PasswordBlocklist> ActivePasswordBlocklist();

// Where Debian's john-data puts its list.
inline constexpr char kDefaultPasswordBlocklist[] = "/usr/share/john/password.lst";

}  // namespace cognate::identity
