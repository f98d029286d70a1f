#include "store/sqlite/open.h"

#include <stdexcept>

#include "store/sqlite/database.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_stores.h"

namespace cognate::store::sqlite {

Stores Open(const std::string& path) {
  auto db = Database::Open(path);
  if (!db.ok()) {
    throw std::runtime_error("cannot open database " + path + ": " + db.error().message);
  }
  if (Status migrated = Migrate(**db); !migrated.ok()) {
    throw std::runtime_error("cannot migrate database " + path + ": " + migrated.error().message);
  }
  // Every store shares the one Database; it closes when the last store goes.
  Stores stores;
  stores.pools = NewPoolStore(*db);
  stores.clients = NewClientStore(*db);
  stores.keys = NewKeyStore(*db);
  stores.access_keys = NewAccessKeyStore(*db);
  stores.users = NewUserStore(*db);
  stores.codes = NewCodeStore(*db);
  stores.refresh_tokens = NewRefreshTokenStore(*db);
  stores.groups = NewGroupStore(*db);
  stores.documents = NewPoolDocumentStore(*db);
  stores.data_keys = NewDataKeyStore(*db);
  stores.auth_events = NewAuthEventStore(*db);
  return stores;
}

}  // namespace cognate::store::sqlite
