#include "oauth/tickets.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "crypto/random.h"
#include "identity/codes.h"
#include "identity/json_fields.h"

namespace cognate::oauth {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxSealed = 8 * 1024;

std::string Aad(std::string_view kind) { return "ticket:" + std::string(kind); }

// Sealed values are base64 with '+', '/' and '='; tickets travel in URLs, forms and cookies,
// so they use the unreserved '-', '_' and '~' instead (none of which base64 uses).
std::string Translate(std::string text, std::string_view from, std::string_view to) {
  for (char& c : text) {
    std::size_t at = from.find(c);
    if (at != std::string_view::npos) c = to[at];
  }
  return text;
}
std::string ToUrlSafe(std::string sealed) { return Translate(std::move(sealed), "+/=", "-_~"); }
std::string FromUrlSafe(std::string_view t) { return Translate(std::string(t), "-_~", "+/="); }

}  // namespace

Tickets::Tickets(store::CodeStore& codes, const crypto::KeyEncryptionKey& kek, const Clock& clock)
    : codes_(codes), kek_(kek), clock_(clock) {}

std::string Tickets::Purpose(const Ticket& ticket) const { return ticket.kind + ":" + ticket.nonce; }

Result<std::string> Tickets::Issue(Ticket ticket, int64_t lifetime_ms) const {
  ticket.nonce = crypto::RandomUuid();
  ticket.expires_ms = clock_.NowMs() + lifetime_ms;
  store::CodeRecord row;
  row.pool_id = ticket.pool_id;
  row.username_key = ticket.username_key;
  row.purpose = Purpose(ticket);
  row.code_hash = identity::CodeHash(identity::CodeHashKey(kek_), row.pool_id, row.username_key,
                                     row.purpose, ticket.nonce);
  row.created_ms = clock_.NowMs();
  row.expires_ms = ticket.expires_ms;
  COGNATE_RETURN_IF_ERROR(codes_.PutCode(row));
  json::object sealed{{"p", ticket.pool_id}, {"u", ticket.username_key}, {"n", ticket.nonce},
                      {"e", ticket.expires_ms}, {"b", std::move(ticket.body)}};
  return ToUrlSafe(kek_.Seal(json::serialize(sealed), Aad(ticket.kind)));
}

std::optional<Ticket> Tickets::Open(std::string_view kind, std::string_view sealed) const {
  if (sealed.empty() || sealed.size() > kMaxSealed) return std::nullopt;
  auto plain = kek_.Open(FromUrlSafe(sealed), Aad(kind));
  if (!plain.ok()) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(*plain, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& o = v.as_object();
  Ticket t;
  t.kind = std::string(kind);
  t.pool_id = identity::GetString(o, "p").value_or("");
  t.username_key = identity::GetString(o, "u").value_or("");
  t.nonce = identity::GetString(o, "n").value_or("");
  t.expires_ms = identity::GetInt(o, "e").value_or(0);
  if (const json::object* body = identity::GetObject(o, "b")) t.body = *body;
  if (t.pool_id.empty() || t.nonce.empty() || t.expires_ms <= clock_.NowMs()) return std::nullopt;
  return t;
}

Result<bool> Tickets::Spend(const Ticket& ticket) const {
  const std::string purpose = Purpose(ticket);
  return codes_.ConsumeCode(
      ticket.pool_id, ticket.username_key, purpose,
      identity::CodeHash(identity::CodeHashKey(kek_), ticket.pool_id, ticket.username_key, purpose,
                         ticket.nonce),
      clock_.NowMs());
}

Result<bool> Tickets::IsLive(const Ticket& ticket) const {
  auto row = codes_.GetCode(ticket.pool_id, ticket.username_key, Purpose(ticket));
  if (!row.ok()) return std::move(row).error();
  return row->has_value() && (*row)->expires_ms > clock_.NowMs();
}

Status Tickets::Revoke(const Ticket& ticket) const {
  return codes_.DeleteCode(ticket.pool_id, ticket.username_key, Purpose(ticket));
}

}  // namespace cognate::oauth
