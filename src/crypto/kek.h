#pragma once
// The key-encryption key that protects every secret at rest (signing keys, client secrets,
// access-key secrets). AES-256-GCM; sealed values are "v1." + base64(nonce || ciphertext || tag)
// and bind `aad` (the row's identity, e.g. "signing-key:<kid>") so a sealed value moved to
// another row does not open. Thread-safe after construction. The key bytes are wiped on
// destruction.

#include <array>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cognate::crypto {

class KeyEncryptionKey {
 public:
  // From COGNATE_MASTER_KEY (base64 of 32 bytes) when `env_value` is non-empty; otherwise from
  // `<data_dir>/master.key` (base64 text, mode 0600), creating it with a fresh random key when
  // absent. Throws std::runtime_error on an unreadable/malformed key (start-up only).
  static KeyEncryptionKey LoadOrCreate(const std::string& data_dir, const std::string& env_value);
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

 private:
  std::array<unsigned char, 32> key_{};
};

}  // namespace cognate::crypto
