// GroupStore on PostgreSQL (see store/sqlite/group_store.cc, which this mirrors). Names are
// unique per pool by the primary key; memberships go with their group and with their user
// (ON DELETE CASCADE on both sides).

#include <algorithm>
#include <string>
#include <vector>

#include "store/postgres/pg_stores.h"
#include "store/postgres/pg_user_rows.h"

namespace cognate::store::postgres {
namespace {

constexpr const char* kGroupColumns =
    "pool_id, name, description, role_arn, precedence, created_ms, modified_ms";

GroupRecord ReadGroup(const Rows& rows, int row) {
  GroupRecord group;
  group.pool_id = rows.Text(row, 0);
  group.name = rows.Text(row, 1);
  group.description = rows.Text(row, 2);
  group.role_arn = rows.Text(row, 3);
  group.precedence = rows.OptionalInt(row, 4);
  group.created_ms = rows.Int(row, 5);
  group.modified_ms = rows.Int(row, 6);
  return group;
}

std::vector<GroupRecord> AllGroups(const Rows& rows) { return ReadAll(rows, ReadGroup); }

Error GroupNotFound() { return Error::NotFound("Group not found."); }

Error GroupExists(const std::string& name) {
  return Error::Make("GroupExistsException", "A group with the name " + name + " already exists.");
}

Result<bool> GroupExistsIn(Connection& conn, const std::string& pool_id, const std::string& name) {
  auto rows =
      conn.Exec("SELECT 1 FROM groups WHERE pool_id = $1 AND name = $2", {P(pool_id), P(name)});
  if (!rows.ok()) return std::move(rows).error();
  return rows->size() > 0;
}

const std::string& SelectMembersSql() {
  static const auto* sql = new std::string(
      std::string("SELECT ") + kUserColumns +
      " FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND "
      "u.username_key = m.username_key WHERE m.pool_id = $1 AND m.group_name = $2 AND "
      "m.username_key > $3 ORDER BY m.username_key LIMIT $4");
  return *sql;
}

class PgGroupStore final : public GroupStore {
 public:
  explicit PgGroupStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Status CreateGroup(const GroupRecord& group) override {
    return db_->Write([&](Connection& conn) -> Status {
      // Checked first so a missing pool is a 400, not a foreign-key failure (500).
      auto exists = PoolExists(conn, group.pool_id);
      if (!exists.ok()) return std::move(exists).error();
      if (!*exists) return PoolNotFound(group.pool_id);
      // DO NOTHING rather than a violation, which would abort the transaction; a racing
      // creation of the same name fails to serialize and its retry finds the name taken.
      auto inserted = conn.TryExec(
          "INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_ms, "
          "modified_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) "
          "ON CONFLICT (pool_id, name) DO NOTHING",
          {P(group.pool_id), P(group.name), P(group.description), P(group.role_arn),
           P(group.precedence), P(group.created_ms), P(group.modified_ms)});
      if (!inserted.ok()) return std::move(inserted).error();
      if (inserted->first != Violation::kNone) return UnexpectedViolation();
      if (inserted->second->affected() == 0) return GroupExists(group.name);
      return OkStatus();
    });
  }

  Result<std::optional<GroupRecord>> GetGroup(const std::string& pool_id,
                                              const std::string& name) override {
    return ReadReturning<std::optional<GroupRecord>>(
        *db_, [&](Connection& conn) -> Result<std::optional<GroupRecord>> {
          auto rows = conn.Exec(std::string("SELECT ") + kGroupColumns +
                                    " FROM groups WHERE pool_id = $1 AND name = $2",
                                {P(pool_id), P(name)});
          if (!rows.ok()) return std::move(rows).error();
          if (rows->size() == 0) return std::optional<GroupRecord>();
          return std::optional<GroupRecord>(ReadGroup(*rows, 0));
        });
  }

  Status UpdateGroup(const GroupRecord& group) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec(
          "UPDATE groups SET description = $3, role_arn = $4, precedence = $5, modified_ms = $6 "
          "WHERE pool_id = $1 AND name = $2",
          {P(group.pool_id), P(group.name), P(group.description), P(group.role_arn),
           P(group.precedence), P(group.modified_ms)});
      if (!changed.ok()) return std::move(changed).error();
      if (changed->affected() == 0) return GroupNotFound();
      return OkStatus();
    });
  }

  Status DeleteGroup(const std::string& pool_id, const std::string& name) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec("DELETE FROM groups WHERE pool_id = $1 AND name = $2",
                               {P(pool_id), P(name)});
      if (!changed.ok()) return std::move(changed).error();
      if (changed->affected() == 0) return GroupNotFound();
      return OkStatus();
    });
  }

  Result<Page<GroupRecord>> ListGroups(const std::string& pool_id, const std::string& after,
                                       int limit) override {
    if (limit <= 0) return Page<GroupRecord>{};
    auto rows = ReadReturning<std::vector<GroupRecord>>(
        *db_, [&](Connection& conn) -> Result<std::vector<GroupRecord>> {
          auto page = conn.Exec(std::string("SELECT ") + kGroupColumns +
                                    " FROM groups WHERE pool_id = $1 AND name > $2 "
                                    "ORDER BY name LIMIT $3",
                                {P(pool_id), P(after), P(int64_t{limit} + 1)});
          if (!page.ok()) return std::move(page).error();
          return AllGroups(*page);
        });
    if (!rows.ok()) return std::move(rows).error();
    return MakePage(std::move(rows).value(), limit,
                    [](const GroupRecord& group) { return group.name; });
  }

  Status AddMember(const std::string& pool_id, const std::string& group,
                   const std::string& username_key) override {
    return db_->Write([&](Connection& conn) -> Status {
      // Both checked inside the serializable transaction, so neither can vanish before the
      // insert commits.
      auto group_exists = GroupExistsIn(conn, pool_id, group);
      if (!group_exists.ok()) return std::move(group_exists).error();
      if (!*group_exists) return GroupNotFound();
      auto user_exists = UserExists(conn, pool_id, username_key);
      if (!user_exists.ok()) return std::move(user_exists).error();
      if (!*user_exists) return UserNotFound();
      COGNATE_RETURN_IF_ERROR(conn.Exec(
          "INSERT INTO group_members (pool_id, group_name, username_key) VALUES ($1, $2, $3) "
          "ON CONFLICT (pool_id, group_name, username_key) DO NOTHING",
          {P(pool_id), P(group), P(username_key)}));
      return OkStatus();
    });
  }

  Status RemoveMember(const std::string& pool_id, const std::string& group,
                      const std::string& username_key) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto exists = GroupExistsIn(conn, pool_id, group);
      if (!exists.ok()) return std::move(exists).error();
      if (!*exists) return GroupNotFound();
      COGNATE_RETURN_IF_ERROR(conn.Exec(
          "DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND username_key = $3",
          {P(pool_id), P(group), P(username_key)}));
      return OkStatus();
    });
  }

  Result<Page<GroupRecord>> ListGroupsForUser(const std::string& pool_id,
                                              const std::string& username_key,
                                              const std::string& after, int limit) override {
    if (limit <= 0) return Page<GroupRecord>{};
    auto rows = ReadReturning<std::vector<GroupRecord>>(
        *db_, [&](Connection& conn) -> Result<std::vector<GroupRecord>> {
          auto page = conn.Exec(
              "SELECT g.pool_id, g.name, g.description, g.role_arn, g.precedence, g.created_ms, "
              "g.modified_ms FROM group_members m JOIN groups g ON g.pool_id = m.pool_id AND "
              "g.name = m.group_name WHERE m.pool_id = $1 AND m.username_key = $2 AND "
              "m.group_name > $3 ORDER BY m.group_name LIMIT $4",
              {P(pool_id), P(username_key), P(after), P(int64_t{limit} + 1)});
          if (!page.ok()) return std::move(page).error();
          return AllGroups(*page);
        });
    if (!rows.ok()) return std::move(rows).error();
    return MakePage(std::move(rows).value(), limit,
                    [](const GroupRecord& group) { return group.name; });
  }

  Result<Page<UserRecord>> ListUsersInGroup(const std::string& pool_id, const std::string& group,
                                            const std::string& after, int limit) override {
    // Two statements outside a transaction (Database::Read): a group deleted in between gives
    // an empty page, as if the listing had come just after the deletion.
    auto rows = ReadReturning<std::vector<UserRecord>>(
        *db_, [&](Connection& conn) -> Result<std::vector<UserRecord>> {
          auto exists = GroupExistsIn(conn, pool_id, group);
          if (!exists.ok()) return std::move(exists).error();
          if (!*exists) return GroupNotFound();
          if (limit <= 0) return std::vector<UserRecord>{};
          auto page = conn.Exec(SelectMembersSql(),
                                {P(pool_id), P(group), P(after), P(int64_t{limit} + 1)});
          if (!page.ok()) return std::move(page).error();
          std::vector<UserRecord> users;
          users.reserve(page->size());
          for (int i = 0; i < page->size(); ++i) users.push_back(ReadUserRow(*page, i));
          return users;
        });
    if (!rows.ok()) return std::move(rows).error();
    return MakePage(std::move(rows).value(), std::max(limit, 0),
                    [](const UserRecord& user) { return user.username_key; });
  }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace

std::unique_ptr<GroupStore> NewGroupStore(std::shared_ptr<Database> db) {
  return std::make_unique<PgGroupStore>(std::move(db));
}

}  // namespace cognate::store::postgres
