#include "store/postgres/pg_open.h"

#include <stdexcept>

#include "store/postgres/pg_migrations.h"
#include "store/postgres/pg_stores.h"

namespace cognate::store::postgres {

Stores Open(const DatabaseOptions& options) {
  auto db = Database::Open(options);
  if (!db.ok()) throw std::runtime_error("cannot open PostgreSQL: " + db.error().message);
  if (Status migrated = Migrate(**db); !migrated.ok()) {
    throw std::runtime_error("cannot migrate PostgreSQL: " + migrated.error().message);
  }
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

}  // namespace cognate::store::postgres
