#pragma once
// The behaviour every store backend must show, written once and run against each backend.
// A backend joins by instantiating the suite with a factory for fresh, empty stores:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
//                            ::testing::Values(StoreBackend{"File", OpenOnFile}),
//                            StoreBackendName);

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

#include "store/stores.h"

namespace cognate::store::contract {

struct StoreBackend {
  std::string name;  // Test-name safe: letters, digits and underscores.
  // Opens empty stores. `scratch_dir` is a fresh empty directory, removed after the test.
  std::function<Stores(const std::string& scratch_dir)> open;
  // When set and it answers non-empty, the backend cannot run here (e.g. no database server
  // configured) and the tests are skipped with that reason.
  std::function<std::string()> unavailable = nullptr;
};

std::string StoreBackendName(const ::testing::TestParamInfo<StoreBackend>& info);
void PrintTo(const StoreBackend& backend, std::ostream* os);

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class StoreContractTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Stores stores_;

 private:
  std::unique_ptr<ScratchDir> scratch_;
};

}  // namespace cognate::store::contract
