#include "oauth/client_auth.h"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/pct_string_view.hpp>
#include <cctype>
#include <optional>
#include <string>
#include <utility>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "identity/ids.h"

namespace cognate::oauth {

namespace urls = boost::urls;

namespace {

constexpr size_t kMaxAuthorization = 4096;
constexpr size_t kMaxClientId = 128;  // ClientIdType
constexpr size_t kMaxSecret = 256;    // ClientSecretType

struct Credentials {
  std::string client_id;
  std::optional<std::string> secret;
};

Error InvalidClient() { return OAuthError("invalid_client", "Client authentication failed."); }

// One half of a Basic credential, form-decoded ('+' is a space); nullopt when malformed.
std::optional<std::string> FormDecode(std::string_view part) {
  auto pct = urls::make_pct_string_view(urls::string_view(part.data(), part.size()));
  if (!pct) return std::nullopt;
  std::string out = pct->decode(urls::encoding_opts(/*space_as_plus=*/true));
  if (out.find('\0') != std::string::npos) return std::nullopt;
  return out;
}

bool StartsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

// client_secret_basic. invalid_client for anything but a well-formed Basic credential.
Result<Credentials> FromBasicHeader(std::string_view header) {
  if (header.size() > kMaxAuthorization || !StartsWithIgnoringCase(header, "basic ")) {
    return InvalidClient();
  }
  std::string_view encoded = header.substr(6);
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  while (!encoded.empty() && encoded.back() == ' ') encoded.remove_suffix(1);
  std::optional<std::string> decoded = crypto::Base64Decode(encoded);
  if (!decoded) return InvalidClient();
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return InvalidClient();
  std::optional<std::string> id = FormDecode(std::string_view(*decoded).substr(0, colon));
  std::optional<std::string> secret = FormDecode(std::string_view(*decoded).substr(colon + 1));
  if (!id || !secret || id->empty()) return InvalidClient();
  // "client_id:" is how a public client uses Basic: no secret.
  if (secret->empty()) return Credentials{std::move(*id), std::nullopt};
  return Credentials{std::move(*id), std::move(*secret)};
}

// Which client the request names and the secret it offers, by either method (not both).
Result<Credentials> ReadCredentials(const Form& form, std::string_view authorization) {
  std::optional<std::string_view> form_id = form.Get("client_id");
  std::optional<std::string_view> form_secret = form.Get("client_secret");
  if (!authorization.empty()) {
    if (form_secret) {
      return OAuthError("invalid_request",
                        "Use either the Authorization header or client_secret, not both.");
    }
    auto basic = FromBasicHeader(authorization);
    if (!basic.ok()) return basic;
    if (form_id && *form_id != basic->client_id) {
      return OAuthError("invalid_request", "client_id does not match the Authorization header.");
    }
    return basic;
  }
  if (!form_id) return OAuthError("invalid_request", "client_id is required.");
  Credentials out{std::string(*form_id), std::nullopt};
  if (form_secret) out.secret = std::string(*form_secret);
  return out;
}

}  // namespace

Result<identity::ClientContext> AuthenticateClient(const identity::UserDirectory& directory,
                                                   const Form& form, std::string_view authorization,
                                                   std::string_view pool_id) {
  auto credentials = ReadCredentials(form, authorization);
  if (!credentials.ok()) return std::move(credentials).error();
  const std::string& client_id = credentials->client_id;
  const std::optional<std::string>& secret = credentials->secret;
  if (client_id.size() > kMaxClientId || !identity::IsClientIdShape(client_id) ||
      (secret && secret->size() > kMaxSecret)) {
    return InvalidClient();
  }
  auto client = directory.LoadClient(client_id);
  if (!client.ok()) {
    if (client.error().Is("ResourceNotFoundException")) return InvalidClient();
    return OAuthError("server_error", "The client could not be loaded.");
  }
  if (!pool_id.empty() && client->record.pool_id != pool_id) return InvalidClient();
  if (client->secret.empty()) {
    // A public client proves nothing with a secret; one it sends anyway is a mistake.
    if (secret) return InvalidClient();
    return client;
  }
  if (!secret || !crypto::ConstantTimeEquals(*secret, client->secret)) return InvalidClient();
  return client;
}

}  // namespace cognate::oauth
