#include "identity/config_memo.h"

#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "identity/json_fields.h"

namespace cognate::identity {
namespace {

namespace json = boost::json;

// Bounds memory when requests name many pools or clients; a full memo starts over.
constexpr std::size_t kMaxEntries = 10000;

struct Parsed {
  std::string text;
  std::shared_ptr<const json::object> object;
};

class ConfigMemo {
 public:
  std::shared_ptr<const json::object> Find(const std::string& id, std::string_view text) {
    std::lock_guard lock(mu_);
    auto it = memo_.find(id);
    if (it == memo_.end() || it->second.text != text) return nullptr;
    return it->second.object;
  }
  void Keep(const std::string& id, std::string_view text, std::shared_ptr<const json::object> o) {
    std::lock_guard lock(mu_);
    if (memo_.size() >= kMaxEntries) memo_.clear();
    memo_.insert_or_assign(id, Parsed{std::string(text), std::move(o)});
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, Parsed> memo_;
};

ConfigMemo& Memo() {
  static ConfigMemo memo;
  return memo;
}

}  // namespace

Result<std::shared_ptr<const json::object>> SharedStoredConfig(const std::string& id,
                                                               std::string_view text) {
  if (std::shared_ptr<const json::object> hit = Memo().Find(id, text)) return hit;
  Result<json::object> parsed = ParseStoredObject(text);
  if (!parsed.ok()) return std::move(parsed).error();
  auto shared = std::make_shared<const json::object>(std::move(*parsed));
  Memo().Keep(id, text, shared);
  return shared;
}

}  // namespace cognate::identity
