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

}  // namespace
}  // namespace cognate::crypto
