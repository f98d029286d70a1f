#include "crypto/kek.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/random.h"

namespace cognate::crypto {
namespace {

namespace fs = std::filesystem;

const std::string kAad = "signing-key:abc";

KeyEncryptionKey FreshKey() { return KeyEncryptionKey(RandomBytes(32)); }

void ExpectOpenFails(const Result<std::string>& r) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().type, "InternalErrorException");
}

TEST(KeyEncryptionKeyTest, SealOpenRoundTrip) {
  const KeyEncryptionKey kek = FreshKey();
  for (const std::string& plain :
       {std::string(), std::string("x"), std::string("a\0b", 3), std::string(1000, '\xfe')}) {
    const std::string sealed = kek.Seal(plain, kAad);
    EXPECT_EQ(sealed.rfind("v1.", 0), 0u);
    auto opened = kek.Open(sealed, kAad);
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(*opened, plain);
  }
}

TEST(KeyEncryptionKeyTest, FreshNonceEachSeal) {
  const KeyEncryptionKey kek = FreshKey();
  const std::string a = kek.Seal("same", kAad);
  const std::string b = kek.Seal("same", kAad);
  EXPECT_NE(a, b);
  // 12-byte nonce + 4-byte ciphertext + 16-byte tag.
  EXPECT_EQ(Base64Decode(a.substr(3))->size(), 32u);
}

TEST(KeyEncryptionKeyTest, AnyTamperedByteFails) {
  const KeyEncryptionKey kek = FreshKey();
  const std::string sealed = kek.Seal("client-secret-value", kAad);
  const std::string blob = *Base64Decode(sealed.substr(3));
  for (std::size_t i = 0; i < blob.size(); ++i) {
    std::string altered = blob;
    altered[i] = static_cast<char>(altered[i] ^ 0x01);
    ExpectOpenFails(kek.Open("v1." + Base64Encode(altered), kAad));
  }
}

TEST(KeyEncryptionKeyTest, WrongAadFails) {
  const KeyEncryptionKey kek = FreshKey();
  const std::string sealed = kek.Seal("secret", kAad);
  ExpectOpenFails(kek.Open(sealed, "signing-key:other"));
  ExpectOpenFails(kek.Open(sealed, ""));
}

TEST(KeyEncryptionKeyTest, OtherKeyFails) {
  const std::string sealed = FreshKey().Seal("secret", kAad);
  ExpectOpenFails(FreshKey().Open(sealed, kAad));
}

TEST(KeyEncryptionKeyTest, MalformedSealedValuesFail) {
  const KeyEncryptionKey kek = FreshKey();
  const std::string sealed = kek.Seal("secret", kAad);
  ExpectOpenFails(kek.Open("", kAad));
  ExpectOpenFails(kek.Open("v1.", kAad));
  ExpectOpenFails(kek.Open("v2." + sealed.substr(3), kAad));
  ExpectOpenFails(kek.Open(sealed.substr(3), kAad));
  ExpectOpenFails(kek.Open("v1.!!!!", kAad));
  ExpectOpenFails(kek.Open("v1." + Base64Encode(std::string(27, 'a')), kAad));  // too short
  const std::string blob = *Base64Decode(sealed.substr(3));
  ExpectOpenFails(kek.Open("v1." + Base64Encode(blob.substr(0, blob.size() - 1)), kAad));
}

TEST(KeyEncryptionKeyTest, RejectsWrongKeySize) {
  EXPECT_THROW(KeyEncryptionKey(std::string(31, 'k')), std::invalid_argument);
  EXPECT_THROW(KeyEncryptionKey(std::string(33, 'k')), std::invalid_argument);
}

TEST(KeyEncryptionKeyTest, MovedKeyStillOpens) {
  KeyEncryptionKey first = FreshKey();
  const std::string sealed = first.Seal("secret", kAad);
  const KeyEncryptionKey second(std::move(first));
  auto opened = second.Open(sealed, kAad);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "secret");
}

class LoadOrCreateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cognate_kek_test." + RandomString(12, kLowerAlnum));
    data_dir_ = (root_ / "nested" / "data").string();
    key_path_ = (root_ / "nested" / "data" / "master.key").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  void WriteKeyFile(const std::string& text) {
    fs::create_directories(data_dir_);
    std::ofstream(key_path_, std::ios::binary) << text;
  }

  static std::string ReadAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  fs::path root_;
  std::string data_dir_;
  std::string key_path_;
};

TEST_F(LoadOrCreateTest, CreatesKeyFileWithMode0600AndReusesIt) {
  const KeyEncryptionKey first = KeyEncryptionKey::LoadOrCreate(data_dir_, "");

  struct stat st {};
  ASSERT_EQ(::stat(key_path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(data_dir_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077, 0u);

  const std::string text = ReadAll(key_path_);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const auto raw = Base64Decode(text.substr(0, text.size() - 1));
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->size(), 32u);

  // Only master.key is left behind (no temporary files).
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(data_dir_)) ++entries;
  EXPECT_EQ(entries, 1);

  const std::string sealed = first.Seal("secret", kAad);
  const KeyEncryptionKey second = KeyEncryptionKey::LoadOrCreate(data_dir_, "");
  auto opened = second.Open(sealed, kAad);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "secret");
  EXPECT_EQ(ReadAll(key_path_), text);
}

TEST_F(LoadOrCreateTest, ConcurrentCreatorsAgreeOnOneKey) {
  constexpr int kThreads = 4;
  std::vector<std::optional<KeyEncryptionKey>> keys(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back(
        [&, i] { keys[i].emplace(KeyEncryptionKey::LoadOrCreate(data_dir_, "")); });
  }
  for (auto& t : threads) t.join();
  const std::string sealed = keys[0]->Seal("secret", kAad);
  for (const auto& k : keys) EXPECT_TRUE(k->Open(sealed, kAad).ok());
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(data_dir_)) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST_F(LoadOrCreateTest, ReadsKeyFileWithoutNewline) {
  const std::string raw = RandomBytes(32);
  WriteKeyFile(Base64Encode(raw));
  const std::string sealed = KeyEncryptionKey(raw).Seal("secret", kAad);
  EXPECT_TRUE(KeyEncryptionKey::LoadOrCreate(data_dir_, "").Open(sealed, kAad).ok());
}

TEST_F(LoadOrCreateTest, MalformedKeyFileThrows) {
  WriteKeyFile("not base64!\n");
  EXPECT_THROW(KeyEncryptionKey::LoadOrCreate(data_dir_, ""), std::runtime_error);
  WriteKeyFile(Base64Encode(RandomBytes(16)) + "\n");
  EXPECT_THROW(KeyEncryptionKey::LoadOrCreate(data_dir_, ""), std::runtime_error);
  WriteKeyFile("");
  EXPECT_THROW(KeyEncryptionKey::LoadOrCreate(data_dir_, ""), std::runtime_error);
}

TEST_F(LoadOrCreateTest, EnvValueWinsOverFile) {
  const KeyEncryptionKey from_file = KeyEncryptionKey::LoadOrCreate(data_dir_, "");
  const std::string raw = RandomBytes(32);
  const KeyEncryptionKey from_env = KeyEncryptionKey::LoadOrCreate(data_dir_, Base64Encode(raw));
  const std::string sealed = KeyEncryptionKey(raw).Seal("secret", kAad);
  EXPECT_TRUE(from_env.Open(sealed, kAad).ok());
  ExpectOpenFails(from_file.Open(sealed, kAad));
}

TEST_F(LoadOrCreateTest, EnvValueCreatesNoFile) {
  const KeyEncryptionKey kek =
      KeyEncryptionKey::LoadOrCreate(data_dir_, Base64Encode(RandomBytes(32)) + "\n");
  EXPECT_FALSE(fs::exists(key_path_));
}

TEST_F(LoadOrCreateTest, MalformedEnvValueThrows) {
  EXPECT_THROW(KeyEncryptionKey::LoadOrCreate(data_dir_, "not-base64"), std::runtime_error);
  EXPECT_THROW(KeyEncryptionKey::LoadOrCreate(data_dir_, Base64Encode(RandomBytes(31))),
               std::runtime_error);
  EXPECT_THROW(KeyEncryptionKey::LoadOrCreate(data_dir_, Base64Encode(RandomBytes(64))),
               std::runtime_error);
  try {
    (void)KeyEncryptionKey::LoadOrCreate(data_dir_, "bad");
    FAIL() << "expected a throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("COGNATE_MASTER_KEY"), std::string::npos);
  }
}

// Data keys (envelope encryption).

KeyEncryptionKey SetUnder(const KeyEncryptionKey& master, const std::vector<WrappedDataKey>& keys) {
  auto set = master.WithDataKeys(keys, "k0", keys.back().id);
  EXPECT_TRUE(set.ok());
  return std::move(*set);
}

TEST(DataKeysTest, KeySetSealsUnderTheCurrentDataKeyAndKeepsV1AndDerive) {
  const std::string raw = RandomBytes(32);
  const KeyEncryptionKey master(raw);
  const std::string old_value = master.Seal("sealed before data keys", kAad);
  const KeyEncryptionKey set = SetUnder(master, {master.WrapOwnBytes("k0"), master.NewDataKey("k1")});
  const std::string sealed = set.Seal("secret", kAad);
  EXPECT_EQ(sealed.rfind("v2.k1.", 0), 0u);
  EXPECT_EQ(*set.Open(sealed, kAad), "secret");
  EXPECT_EQ(*set.Open(old_value, kAad), "sealed before data keys");
  EXPECT_EQ(set.Derive("trigger-secrets"), master.Derive("trigger-secrets"));
  // The master alone opens no v2 value; a v2 value naming an unknown data key does not open.
  ExpectOpenFails(master.Open(sealed, kAad));
  std::string renamed = sealed;
  renamed.replace(0, 6, "v2.k9.");
  ExpectOpenFails(set.Open(renamed, kAad));
  ExpectOpenFails(set.Open("v2.k1", kAad));
  ExpectOpenFails(set.Open(sealed, "signing-key:other"));
}

TEST(DataKeysTest, RewrapMovesKeysToANewMasterWithoutReencrypting) {
  const KeyEncryptionKey old_master = FreshKey();
  const KeyEncryptionKey new_master = FreshKey();
  EXPECT_NE(old_master.Fingerprint(), new_master.Fingerprint());
  EXPECT_EQ(old_master.Fingerprint().size(), 16u);
  const std::vector<WrappedDataKey> old_keys{old_master.WrapOwnBytes("k0"),
                                             old_master.NewDataKey("k1")};
  const KeyEncryptionKey before = SetUnder(old_master, old_keys);
  const std::string v1 = old_master.Seal("v1 value", kAad);
  const std::string v2 = before.Seal("v2 value", kAad);

  std::vector<WrappedDataKey> new_keys;
  for (const WrappedDataKey& key : old_keys) new_keys.push_back(*old_master.Rewrap(key, new_master));
  const KeyEncryptionKey after = SetUnder(new_master, new_keys);
  EXPECT_EQ(*after.Open(v1, kAad), "v1 value");
  EXPECT_EQ(*after.Open(v2, kAad), "v2 value");
  EXPECT_EQ(after.Derive("x"), before.Derive("x"));

  // Each master opens only its own wrappings.
  EXPECT_FALSE(old_master.WithDataKeys(new_keys, "k0", "k1").ok());
  EXPECT_FALSE(new_master.WithDataKeys(old_keys, "k0", "k1").ok());
  EXPECT_FALSE(old_master.Rewrap(new_keys[1], new_master).ok());
}

TEST(DataKeysTest, WrappingsAreBoundToTheirIdAndComplete) {
  const KeyEncryptionKey master = FreshKey();
  WrappedDataKey k1 = master.NewDataKey("k1");
  WrappedDataKey swapped{"k2", k1.wrapped};
  EXPECT_FALSE(master.WithDataKeys({master.WrapOwnBytes("k0"), swapped}, "k0", "k2").ok());
  EXPECT_FALSE(master.WithDataKeys({k1}, "k0", "k1").ok());  // no root
  EXPECT_FALSE(master.WithDataKeys({master.WrapOwnBytes("k0")}, "k0", "k1").ok());  // no current
  EXPECT_FALSE(master.WithDataKeys({{"K.1", k1.wrapped}}, "k0", "K.1").ok());  // bad id
}

TEST(DataKeysTest, ReplaceKeyFileSwapsTheMasterKeyAtomically) {
  const fs::path dir = fs::temp_directory_path() / ("kek-replace-" + RandomString(8, kLowerAlnum));
  const KeyEncryptionKey first = KeyEncryptionKey::LoadOrCreate(dir.string(), "");
  const std::string raw = RandomBytes(32);
  KeyEncryptionKey::ReplaceKeyFile(dir.string(), raw);
  const KeyEncryptionKey loaded = KeyEncryptionKey::LoadOrCreate(dir.string(), "");
  EXPECT_EQ(loaded.Fingerprint(), KeyEncryptionKey(raw).Fingerprint());
  EXPECT_NE(loaded.Fingerprint(), first.Fingerprint());
  EXPECT_EQ(KeyEncryptionKey::FromFile((dir / "master.key").string()).Fingerprint(),
            loaded.Fingerprint());
  EXPECT_EQ(fs::status(dir / "master.key").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_THROW(KeyEncryptionKey::FromFile((dir / "missing.key").string()), std::runtime_error);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cognate::crypto
