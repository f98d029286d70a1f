#pragma once
// Plain records as the stores keep them. Times are epoch milliseconds. Fields named *_sealed hold
// ciphertext made by crypto::KeyEncryptionKey::Seal; stores never see the plaintext.

#include <cstdint>
#include <string>
#include <vector>

namespace cognate::store {

// A page of a listing ordered by id: `next_after` is the id to pass as `after` for the next
// page, empty when this page is the last.
template <class T>
struct Page {
  std::vector<T> items;
  std::string next_after;
};

struct UserPoolRecord {
  std::string id;           // "<region>_<9 alphanumerics>"
  std::string name;
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
  std::string config_json;  // The pool's settings as UserPoolType JSON members (see identity/).
  int64_t version = 0;      // Bumped by every update (optimistic concurrency, see stores.h).
};

struct AppClientRecord {
  std::string pool_id;
  std::string client_id;       // 26 lowercase alphanumerics
  std::string name;
  std::string secret_sealed;   // Empty when the client has no secret.
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
  std::string config_json;     // UserPoolClientType JSON members other than ids, name, secret, dates.
  int64_t version = 0;         // Bumped by every update (optimistic concurrency, see stores.h).
};

struct SigningKeyRecord {
  std::string pool_id;
  std::string kid;
  std::string use;                  // "id" or "access": which tokens the key signs.
  std::string alg;                  // "RS256"
  std::string public_jwk_json;      // {"kty","n","e",...} without kid/alg/use.
  std::string private_key_sealed;   // Sealed PKCS#8 PEM.
  int64_t created_ms = 0;
  bool active = true;               // Signs new tokens; inactive keys still verify.
};

// One wrapping of a data key (crypto/kek.h): its bytes sealed under the master key whose
// fingerprint is master_id. A data key has one wrapping per master key that may open it.
struct DataKeyRecord {
  std::string id;
  std::string master_id;
  std::string wrapped;
  int64_t created_ms = 0;
};

struct AccessKeyRecord {
  std::string access_key_id;
  std::string secret_sealed;
  std::string policy_json;  // {"actions":["*"],"pools":["*"]} for the admin key.
  std::string description;
  int64_t created_ms = 0;
};

// A small per-pool document with no store of its own: a resource server, an identity provider,
// a UI customization or a domain. (pool_id, kind, name) is unique; names of kind "domain" are
// unique across all pools (a domain names one pool).
struct PoolDocumentRecord {
  std::string pool_id;
  std::string kind;       // kResourceServer, kIdentityProvider, kUiCustomization, kDomain
  std::string name;       // the document's id within (pool, kind)
  std::string body_json;  // the document itself, in the shape its domain code defines
  int64_t created_ms = 0;
  int64_t modified_ms = 0;
  int64_t version = 0;    // Bumped by every update (optimistic concurrency, see stores.h).

  static constexpr const char* kResourceServer = "resource-server";
  static constexpr const char* kIdentityProvider = "identity-provider";
  static constexpr const char* kUiCustomization = "ui-customization";
  static constexpr const char* kDomain = "domain";
};

}  // namespace cognate::store
