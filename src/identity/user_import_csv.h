#pragma once
// The CSV side of Cognito's user import (GetCSVHeader, and the rows of an import job's file):
//
// - The header is every attribute of the pool's schema but sub and identities, in schema order
//   (custom ones included, as "custom:<name>"), then cognito:mfa_enabled and cognito:username.
// - A file's header row must hold all of those columns, in any order, and no other.
// - Each row is one user, created RESET_REQUIRED without a password (Cognito imports none):
//   cognito:username is required; cognito:mfa_enabled is "true" or "false" ("true" turns SMS
//   MFA on and needs a phone_number); at least one of email_verified / phone_number_verified
//   must be "true", with its attribute, so that the user can receive the reset code; attribute
//   values are checked against the schema as AdminCreateUser checks them; empty cells are
//   absent attributes.
// - Fields follow RFC 4180 (double quotes around fields holding commas, quotes or line breaks;
//   "" for a quote). Limits: 16,000 characters per row.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "identity/user_directory.h"
#include "store/user_records.h"

namespace cognate::identity {

inline constexpr std::size_t kMaxCsvRowChars = 16'000;

// GetCSVHeader's CSVHeader for a pool.
std::vector<std::string> CsvHeaderFor(const boost::json::object& pool_config);

// Reads a CSV text row by row without copying it whole.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}
  // The next row's fields; false at the end. InvalidParameterException for an unterminated
  // quote, text after a closing quote, or a row over kMaxCsvRowChars.
  Result<bool> Next(std::vector<std::string>& fields);
  int64_t row_number() const { return row_; }  // 1-based number of the row last read

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int64_t row_ = 0;
};

// Checks a file's header row against the pool's (see above); InvalidParameterException naming
// the first missing or unknown column.
Status CheckCsvHeader(const boost::json::object& pool_config,
                      const std::vector<std::string>& columns);

// The user a data row describes, with its sign-in keys (InvalidParameterException when the
// row breaks a rule above).
Result<std::pair<store::UserRecord, std::vector<store::UserKey>>> UserFromCsvRow(
    const PoolContext& pool, const std::vector<std::string>& columns,
    const std::vector<std::string>& row, int64_t now_ms);

}  // namespace cognate::identity
