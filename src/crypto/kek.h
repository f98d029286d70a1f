#pragma once
// The keys that protect every secret at rest (signing keys, client secrets, access-key secrets,
// TOTP secrets, SRP verifiers, users' profile attributes). AES-256-GCM; a sealed value binds
// `aad` (the row's identity, e.g. "signing-key:<kid>") so that moved to another row it does not
// open. Thread-safe after construction; key bytes are wiped on destruction.
//
// Envelope encryption: the master key (master.key / COGNATE_MASTER_KEY) only wraps data keys,
// which the store keeps (app/data_keys.h). A server's KeyEncryptionKey is the set of unwrapped
// data keys: it seals "v2.<id>." + base64(nonce || ciphertext || tag) under the current one.
// Data key "k0" holds the bytes of the first master key, so values sealed before data keys
// ("v1." + base64, directly under that key) and every Derive() result survive master-key
// rotation, which re-wraps the data keys and re-encrypts nothing. A KeyEncryptionKey made from
// raw bytes alone (a master key, or a test's key) seals v1 under those bytes.

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace cognate::crypto {

// A data key as the store keeps it: its raw bytes sealed (v1) under a master key, bound to
// "data-key:<id>".
struct WrappedDataKey {
  std::string id;       // [a-z0-9]{1,16}
  std::string wrapped;
};

class KeyEncryptionKey {
 public:
  // From COGNATE_MASTER_KEY (base64 of 32 bytes) when `env_value` is non-empty; otherwise from
  // `<data_dir>/master.key` (base64 text, mode 0600), creating it with a fresh random key when
  // absent. Throws std::runtime_error on an unreadable/malformed key (start-up only).
  static KeyEncryptionKey LoadOrCreate(const std::string& data_dir, const std::string& env_value);
  // From a key file (base64 text of 32 bytes); throws std::runtime_error when unreadable.
  static KeyEncryptionKey FromFile(const std::string& path);
  explicit KeyEncryptionKey(std::string_view raw32);
  ~KeyEncryptionKey();
  KeyEncryptionKey(const KeyEncryptionKey&) = delete;
  KeyEncryptionKey& operator=(const KeyEncryptionKey&) = delete;
  KeyEncryptionKey(KeyEncryptionKey&&) noexcept;

  std::string Seal(std::string_view plaintext, std::string_view aad) const;
  // InternalErrorException when the value was altered, sealed under another key or another aad.
  Result<std::string> Open(std::string_view sealed, std::string_view aad) const;
  // A 32-byte key for `purpose` derived from the KEK (HMAC-SHA256), stable across restarts:
  // for values that must look alike on every call without being stored.
  std::string Derive(std::string_view purpose) const;

  // Writes base64(raw32) to <data_dir>/master.key (mode 0600), replacing the file atomically.
  static void ReplaceKeyFile(const std::string& data_dir, std::string_view raw32);

  // As a master key: which wrappings it opens (16 hex digits of an HMAC, not the key).
  std::string Fingerprint() const;
  // Its own bytes as data key `id` ("k0"), wrapped under itself.
  WrappedDataKey WrapOwnBytes(std::string id) const;
  // A fresh random data key, wrapped under this master key.
  WrappedDataKey NewDataKey(std::string id) const;
  // `key` (wrapped under this master key) wrapped under `next` instead.
  Result<WrappedDataKey> Rewrap(const WrappedDataKey& key, const KeyEncryptionKey& next) const;
  // The key set of `keys` (all wrapped under this master key): `root_id` opens v1 values and
  // derives; `current_id` seals. InternalErrorException when one does not unwrap or is missing.
  Result<KeyEncryptionKey> WithDataKeys(const std::vector<WrappedDataKey>& keys,
                                        std::string_view root_id,
                                        std::string_view current_id) const;

 private:
  using Key = std::array<unsigned char, 32>;
  KeyEncryptionKey() = default;
  Result<std::string> Unwrap(const WrappedDataKey& key) const;

  Key key_{};  // The root: v1 values, Derive(), and wrapping when used as a master key.
  std::vector<std::pair<std::string, Key>> data_keys_;  // v2 values, by id.
  std::string current_;  // The data key that seals; empty: seal v1 under key_.
};

}  // namespace cognate::crypto
