#include "identity/password_blocklist.h"

#include <algorithm>
#include <fstream>
#include <mutex>
#include <sstream>
#include <utility>

#include "common/ascii.h"

namespace cognate::identity {
namespace {

std::mutex active_mu;
std::shared_ptr<const PasswordBlocklist> active;  // guarded by active_mu

}  // namespace

PasswordBlocklist PasswordBlocklist::FromText(std::string_view text) {
  PasswordBlocklist list;
  while (!text.empty() && list.entries_.size() < kMaxEntries) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.starts_with("#!comment") || line.size() > kMaxEntryBytes) continue;
    list.entries_.insert(AsciiLower(line));
  }
  return list;
}

Result<PasswordBlocklist> PasswordBlocklist::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::InvalidParameter("cannot read the password blocklist " + path);
  std::ostringstream text;
  text << in.rdbuf();
  PasswordBlocklist list = FromText(text.str());
  if (list.size() >= kMaxEntries) {
    return Error::InvalidParameter("the password blocklist " + path + " has too many entries");
  }
  return list;
}

bool PasswordBlocklist::Contains(std::string_view password) const {
  return entries_.contains(AsciiLower(password));
}

void SetActivePasswordBlocklist(std::shared_ptr<const PasswordBlocklist> blocklist) {
  std::lock_guard lock(active_mu);
  active = std::move(blocklist);
}

std::shared_ptr<const PasswordBlocklist> ActivePasswordBlocklist() {
  std::lock_guard lock(active_mu);
  return active;
}

}  // namespace cognate::identity
