#include "delivery/routing_sender.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <utility>

namespace cognate::delivery {
namespace json = boost::json;
namespace {

constexpr size_t kMaxPools = 100'000;

bool IsPoolId(std::string_view id) {
  const size_t underscore = id.rfind('_');
  if (id.size() > 55 || underscore == 0 || underscore == std::string_view::npos ||
      underscore + 1 == id.size())
    return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const auto c = static_cast<unsigned char>(id[i]);
    const bool ok =
        std::isalnum(c) || (i < underscore && (c == '-' || c == '_')) || i == underscore;
    if (!ok) return false;
  }
  return true;
}

Result<SenderKind> ParseKind(const json::value& v, bool email, const std::string& where) {
  const json::string* s = v.if_string();
  if (s && *s == "outbox") return SenderKind::kOutbox;
  if (s && *s == "webhook") return SenderKind::kWebhook;
  if (s && *s == "smtp" && email) return SenderKind::kSmtp;
  return Error::InvalidParameter(
      where + " must be " +
      (email ? "\"smtp\", \"webhook\" or \"outbox\"" : "\"webhook\" or \"outbox\""));
}

Result<PoolDelivery> ParsePool(const std::string& id, const json::value& v) {
  const std::string where = "pools." + id;
  const json::object* o = v.if_object();
  if (!o) return Error::InvalidParameter(where + " must be an object");
  PoolDelivery pool;
  for (const auto& [key, value] : *o) {
    if (key != "email" && key != "sms")
      return Error::InvalidParameter(where + ": unknown member \"" + std::string(key) + "\"");
    Result<SenderKind> kind = ParseKind(value, key == "email", where + "." + std::string(key));
    if (!kind.ok()) return std::move(kind).error();
    (key == "email" ? pool.email : pool.sms) = *kind;
  }
  return pool;
}

Result<MessageSender*> Pick(const ChannelChoices& choices, SenderKind kind,
                            const std::string& where) {
  auto it = choices.senders.find(kind);
  if (it == choices.senders.end() || it->second == nullptr) {
    return Error::InvalidParameter(where + " uses " + std::string(SenderKindName(kind)) +
                                   ", which is not configured");
  }
  return it->second;
}

}  // namespace

std::string_view SenderKindName(SenderKind kind) {
  switch (kind) {
    case SenderKind::kOutbox:
      return "outbox";
    case SenderKind::kSmtp:
      return "smtp";
    case SenderKind::kWebhook:
      return "webhook";
  }
  return "?";
}

Result<DeliveryConfig> ParseDeliveryConfig(std::string_view json_text) {
  boost::system::error_code ec;
  json::value root = json::parse(json_text, ec);
  if (ec) return Error::InvalidParameter("not valid JSON: " + ec.message());
  const json::object* top = root.if_object();
  if (!top) return Error::InvalidParameter("the top level must be an object");
  DeliveryConfig config;
  for (const auto& [key, value] : *top) {
    if (key != "pools")
      return Error::InvalidParameter("unknown member \"" + std::string(key) + "\"");
    const json::object* pools = value.if_object();
    if (!pools) return Error::InvalidParameter("pools must be an object");
    if (pools->size() > kMaxPools) return Error::InvalidParameter("too many pools");
    for (const auto& [id, choice] : *pools) {
      if (!IsPoolId(id))
        return Error::InvalidParameter("pools: \"" + std::string(id) + "\" is not a pool id");
      Result<PoolDelivery> pool = ParsePool(std::string(id), choice);
      if (!pool.ok()) return std::move(pool).error();
      config.pools[std::string(id)] = *pool;
    }
  }
  return config;
}

Result<RoutingSender> RoutingSender::Create(const DeliveryConfig& config,
                                            const ChannelChoices& email,
                                            const ChannelChoices& sms) {
  Result<MessageSender*> default_email = Pick(email, email.default_kind, "the email default");
  if (!default_email.ok()) return std::move(default_email).error();
  Result<MessageSender*> default_sms = Pick(sms, sms.default_kind, "the SMS default");
  if (!default_sms.ok()) return std::move(default_sms).error();
  std::map<std::string, Route> pools;
  for (const auto& [id, choice] : config.pools) {
    Result<MessageSender*> e =
        Pick(email, choice.email.value_or(email.default_kind), "pools." + id + ".email");
    if (!e.ok()) return std::move(e).error();
    Result<MessageSender*> s =
        Pick(sms, choice.sms.value_or(sms.default_kind), "pools." + id + ".sms");
    if (!s.ok()) return std::move(s).error();
    pools[id] = Route{*e, *s};
  }
  return RoutingSender(Route{*default_email, *default_sms}, std::move(pools));
}

RoutingSender::RoutingSender(Route defaults, std::map<std::string, Route> pools)
    : defaults_(defaults), pools_(std::move(pools)) {}

MessageSender* RoutingSender::SenderFor(const std::string& pool_id,
                                        std::string_view channel) const {
  auto it = pools_.find(pool_id);
  const Route& route = it == pools_.end() ? defaults_ : it->second;
  if (channel == "EMAIL") return route.email;
  if (channel == "SMS") return route.sms;
  return nullptr;
}

Status RoutingSender::Send(const OutgoingMessage& message) {
  MessageSender* sender = SenderFor(message.pool_id, message.channel);
  if (!sender) return Error::Internal("No sender for channel " + message.channel.substr(0, 16));
  return sender->Send(message);
}

}  // namespace cognate::delivery
