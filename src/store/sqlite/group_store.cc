// GroupStore on SQLite. Names are unique per pool by the primary key; memberships go with their
// group and with their user (ON DELETE CASCADE on both sides).

#include <algorithm>

#include "store/sqlite/sqlite_stores.h"

namespace cognate::store::sqlite {
namespace {

GroupRecord ReadGroup(const Statement& row) {
  GroupRecord group;
  group.pool_id = row.Text(0);
  group.name = row.Text(1);
  group.description = row.Text(2);
  group.role_arn = row.Text(3);
  group.precedence = row.OptionalInt(4);
  group.created_ms = row.Int(5);
  group.modified_ms = row.Int(6);
  return group;
}

Error GroupNotFound() { return Error::NotFound("Group not found."); }

Error GroupExists(const std::string& name) {
  return Error::Make("GroupExistsException", "A group with the name " + name + " already exists.");
}

Result<bool> GroupExistsIn(Connection& conn, const std::string& pool_id, const std::string& name) {
  auto found = conn.QueryOne(
      "SELECT 1 FROM groups WHERE pool_id = ?1 AND name = ?2",
      [](const Statement&) { return true; }, pool_id, name);
  if (!found.ok()) return std::move(found).error();
  return found->has_value();
}

// Statements are cached by their text, so this one is built once and kept for the program.
const std::string& SelectMembersSql() {
  static const auto* sql = new std::string(
      std::string("SELECT ") + kUserColumns +
      " FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND "
      "u.username_key = m.username_key WHERE m.pool_id = ?1 AND m.group_name = ?2 AND "
      "m.username_key > ?3 ORDER BY m.username_key LIMIT ?4");
  return *sql;
}

class SqliteGroupStore final : public GroupStore {
 public:
  explicit SqliteGroupStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  Status CreateGroup(const GroupRecord& group) override {
    return db_->Write([&](Connection& conn) -> Status {
      // Checked first so a missing pool is a 400, not a foreign-key failure (500).
      auto exists = PoolExists(conn, group.pool_id);
      if (!exists.ok()) return std::move(exists).error();
      if (!*exists) return PoolNotFound(group.pool_id);
      auto violation = conn.TryExec(
          "INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_ms, "
          "modified_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
          group.pool_id, group.name, group.description, group.role_arn, group.precedence,
          group.created_ms, group.modified_ms);
      if (!violation.ok()) return std::move(violation).error();
      if (*violation == Violation::kPrimaryKey) return GroupExists(group.name);
      if (*violation != Violation::kNone) return UnexpectedViolation();
      return OkStatus();
    });
  }

  Result<std::optional<GroupRecord>> GetGroup(const std::string& pool_id,
                                              const std::string& name) override {
    return db_->Read([&](Connection& conn) {
      return conn.QueryOne(
          "SELECT pool_id, name, description, role_arn, precedence, created_ms, modified_ms "
          "FROM groups WHERE pool_id = ?1 AND name = ?2",
          ReadGroup, pool_id, name);
    });
  }

  Status UpdateGroup(const GroupRecord& group) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed = conn.Exec(
          "UPDATE groups SET description = ?3, role_arn = ?4, precedence = ?5, modified_ms = ?6 "
          "WHERE pool_id = ?1 AND name = ?2",
          group.pool_id, group.name, group.description, group.role_arn, group.precedence,
          group.modified_ms);
      if (!changed.ok()) return std::move(changed).error();
      if (*changed == 0) return GroupNotFound();
      return OkStatus();
    });
  }

  Status DeleteGroup(const std::string& pool_id, const std::string& name) override {
    return db_->Write([&](Connection& conn) -> Status {
      auto changed =
          conn.Exec("DELETE FROM groups WHERE pool_id = ?1 AND name = ?2", pool_id, name);
      if (!changed.ok()) return std::move(changed).error();
      if (*changed == 0) return GroupNotFound();
      return OkStatus();
    });
  }

  Result<Page<GroupRecord>> ListGroups(const std::string& pool_id, const std::string& after,
                                       int limit) override {
    if (limit <= 0) return Page<GroupRecord>{};
    auto rows = db_->Read([&](Connection& conn) {
      return conn.Query(
          "SELECT pool_id, name, description, role_arn, precedence, created_ms, modified_ms "
          "FROM groups WHERE pool_id = ?1 AND name > ?2 ORDER BY name LIMIT ?3",
          ReadGroup, pool_id, after, int64_t{limit} + 1);
    });
    if (!rows.ok()) return std::move(rows).error();
    return MakePage(std::move(rows).value(), limit,
                    [](const GroupRecord& group) { return group.name; });
  }

  Status AddMember(const std::string& pool_id, const std::string& group,
                   const std::string& username_key) override {
    return db_->Write([&](Connection& conn) -> Status {
      // Both checked inside the write transaction, so neither can vanish before the insert.
      auto group_exists = GroupExistsIn(conn, pool_id, group);
      if (!group_exists.ok()) return std::move(group_exists).error();
      if (!*group_exists) return GroupNotFound();
      auto user_exists = UserExists(conn, pool_id, username_key);
      if (!user_exists.ok()) return std::move(user_exists).error();
      if (!*user_exists) return UserNotFound();
      COGNATE_RETURN_IF_ERROR(conn.Exec(
          "INSERT INTO group_members (pool_id, group_name, username_key) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (pool_id, group_name, username_key) DO NOTHING",
          pool_id, group, username_key));
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
          "DELETE FROM group_members WHERE pool_id = ?1 AND group_name = ?2 AND username_key = ?3",
          pool_id, group, username_key));
      return OkStatus();
    });
  }

  Result<Page<GroupRecord>> ListGroupsForUser(const std::string& pool_id,
                                              const std::string& username_key,
                                              const std::string& after, int limit) override {
    if (limit <= 0) return Page<GroupRecord>{};
    auto rows = db_->Read([&](Connection& conn) {
      return conn.Query(
          "SELECT g.pool_id, g.name, g.description, g.role_arn, g.precedence, g.created_ms, "
          "g.modified_ms FROM group_members m JOIN groups g ON g.pool_id = m.pool_id AND "
          "g.name = m.group_name WHERE m.pool_id = ?1 AND m.username_key = ?2 AND "
          "m.group_name > ?3 ORDER BY m.group_name LIMIT ?4",
          ReadGroup, pool_id, username_key, after, int64_t{limit} + 1);
    });
    if (!rows.ok()) return std::move(rows).error();
    return MakePage(std::move(rows).value(), limit,
                    [](const GroupRecord& group) { return group.name; });
  }

  Result<Page<UserRecord>> ListUsersInGroup(const std::string& pool_id, const std::string& group,
                                            const std::string& after, int limit) override {
    // One read transaction: the members are those of the group that was found.
    auto rows = db_->Read([&](Connection& conn) -> Result<std::vector<UserRecord>> {
      auto exists = GroupExistsIn(conn, pool_id, group);
      if (!exists.ok()) return std::move(exists).error();
      if (!*exists) return GroupNotFound();
      if (limit <= 0) return std::vector<UserRecord>{};
      return conn.Query(SelectMembersSql(), ReadUser, pool_id, group, after, int64_t{limit} + 1);
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
  return std::make_unique<SqliteGroupStore>(std::move(db));
}

}  // namespace cognate::store::sqlite
